export interface AlertRule {
  id: string;
}
