/**
 * The public-investment projects of Vũng Tàu city the `disbursement` stream reports about,
 * with what the pack needs for them: the KPI target, the reporting cadence and the sources.
 * No public list of the city's projects with their yearly capital plans was found, so the
 * list is SIMULATED: kinds of project the action plan names (III.4: key projects, the
 * infrastructure, the city's cross streets; III.3.9–3.10: land clearance, the project
 * management boards), in real wards, with made-up names and figures. The one project with a
 * public record says so and cites it; its capital plan for the year is still ours.
 * build-vung-tau.ts writes them to packs/vung-tau/projects.json (and the target into
 * kpi-targets.json).
 */

const plan = 'shared/seed/ke-hoach-hanh-dong-nq11-vung-tau.txt';
const ty = 1_000_000_000; // one tỷ đồng

const board = { vi: 'Ban Quản lý dự án Đầu tư xây dựng TP Vũng Tàu', en: 'Vũng Tàu city construction investment project management board' };
const landFund = { vi: 'Trung tâm Phát triển quỹ đất TP Vũng Tàu', en: 'Vũng Tàu city land fund development centre' };
const ward = (vi: string, en: string) => ({ vi: `UBND ${vi}`, en: `${en} People's Committee` });

export interface ProjectRecord {
  id: string;
  name: { vi: string; en: string };
  kind: 'road' | 'drainage' | 'embankment' | 'school' | 'health' | 'resettlement' | 'market' | 'park';
  wardCode: string;
  owner: { vi: string; en: string };
  /** the year `capitalPlanVnd` is the plan of */
  planYear: number;
  /** the year's capital plan, whole đồng */
  capitalPlanVnd: number;
  /** the project's total investment when a source gives it, whole đồng */
  totalInvestmentVnd: number | null;
  /** true when the record is not backed by a source; `simulatedFields` says which fields are ours */
  simulated: boolean;
  simulatedFields: string[];
  basis: string;
  sources: string[];
}

const simulatedBasis = 'no public list of the city’s projects and yearly capital plans was found: an illustrative project of a kind the action plan names, in a real ward; name, owner and figures are ours';
const sim = (r: Omit<ProjectRecord, 'simulated' | 'simulatedFields' | 'basis' | 'sources' | 'planYear' | 'totalInvestmentVnd'>): ProjectRecord => ({
  ...r,
  planYear: 2022,
  totalInvestmentVnd: null,
  simulated: true,
  simulatedFields: ['name', 'owner', 'capitalPlanVnd'],
  basis: simulatedBasis,
  sources: [plan],
});

export const projects: ProjectRecord[] = [
  {
    id: 'da-chinh-trang-thuy-van',
    name: { vi: 'Chỉnh trang đường Thùy Vân và công viên Thùy Vân', en: 'Thùy Vân street and park upgrade' },
    kind: 'park',
    wardCode: '26508',
    owner: board,
    planYear: 2024,
    capitalPlanVnd: 300 * ty,
    totalInvestmentVnd: 1_297 * ty,
    simulated: true,
    simulatedFields: ['owner', 'capitalPlanVnd'],
    basis: 'the project is public: 19.21 ha along Thùy Vân (Bãi Sau), total investment about 1,297 tỷ đồng from the provincial budget, start planned for June 2024 (news of 9/1/2024); the year’s capital plan and the owner are ours',
    sources: ['https://dnvn247.com.vn/du-an-chinh-trang-duong-thuy-van-tag54164/', 'https://brt.vn/do-thi-va-phat-trien/do-thi-va-phat-trien-2112024-180-ngay-cho-du-an-chinh-trang-do-thi-duong-thuy-van'],
  },
  sim({ id: 'da-duong-ngang-p10', name: { vi: 'Nâng cấp, mở rộng tuyến đường ngang Phường 10', en: 'Ward 10 cross street widening' }, kind: 'road', wardCode: '26536', owner: board, capitalPlanVnd: 120 * ty }),
  sim({ id: 'da-duong-ngang-p11', name: { vi: 'Xây dựng tuyến đường ngang nối đường 2/9 – Phường 11', en: 'Ward 11 cross street to 2/9 street' }, kind: 'road', wardCode: '26539', owner: board, capitalPlanVnd: 180 * ty }),
  sim({ id: 'da-duong-ngang-p12', name: { vi: 'Xây dựng tuyến đường ngang Phường 12', en: 'Ward 12 cross street' }, kind: 'road', wardCode: '26542', owner: board, capitalPlanVnd: 95 * ty }),
  sim({ id: 'da-thoat-nuoc-thang-nhi', name: { vi: 'Cải tạo hệ thống thoát nước Phường Thắng Nhì', en: 'Thắng Nhì ward drainage upgrade' }, kind: 'drainage', wardCode: '26521', owner: board, capitalPlanVnd: 65 * ty }),
  sim({ id: 'da-thoat-nuoc-rach-dua', name: { vi: 'Chống ngập, thoát nước Phường Rạch Dừa', en: 'Rạch Dừa ward flood drainage' }, kind: 'drainage', wardCode: '26535', owner: board, capitalPlanVnd: 80 * ty }),
  sim({ id: 'da-ke-long-son', name: { vi: 'Kè chống sạt lở bờ sông xã Long Sơn', en: 'Long Sơn riverbank erosion embankment' }, kind: 'embankment', wardCode: '26545', owner: board, capitalPlanVnd: 150 * ty }),
  sim({ id: 'da-truong-th-thang-nhat', name: { vi: 'Xây mới Trường Tiểu học Phường Thắng Nhất', en: 'New primary school, Thắng Nhất ward' }, kind: 'school', wardCode: '26533', owner: board, capitalPlanVnd: 55 * ty }),
  sim({ id: 'da-truong-mn-p7', name: { vi: 'Xây mới Trường Mầm non Phường 7', en: 'New kindergarten, Ward 7' }, kind: 'school', wardCode: '26524', owner: board, capitalPlanVnd: 40 * ty }),
  sim({ id: 'da-tram-y-te-p9', name: { vi: 'Cải tạo, mở rộng Trạm y tế Phường 9', en: 'Ward 9 health station upgrade' }, kind: 'health', wardCode: '26530', owner: ward('Phường 9', 'Ward 9'), capitalPlanVnd: 8 * ty }),
  sim({ id: 'da-tram-y-te-nguyen-an-ninh', name: { vi: 'Xây mới Trạm y tế Phường Nguyễn An Ninh', en: 'New health station, Nguyễn An Ninh ward' }, kind: 'health', wardCode: '26526', owner: ward('Phường Nguyễn An Ninh', 'Nguyễn An Ninh ward'), capitalPlanVnd: 12 * ty }),
  sim({ id: 'da-tai-dinh-cu-p12', name: { vi: 'Khu tái định cư Phường 12 (hạ tầng kỹ thuật)', en: 'Ward 12 resettlement area, infrastructure' }, kind: 'resettlement', wardCode: '26542', owner: landFund, capitalPlanVnd: 210 * ty }),
  sim({ id: 'da-cho-p4', name: { vi: 'Cải tạo chợ Phường 4', en: 'Ward 4 market renovation' }, kind: 'market', wardCode: '26515', owner: ward('Phường 4', 'Ward 4'), capitalPlanVnd: 25 * ty }),
  sim({ id: 'da-via-he-p1', name: { vi: 'Chỉnh trang vỉa hè, chiếu sáng trung tâm Phường 1', en: 'Ward 1 central pavements and lighting' }, kind: 'road', wardCode: '26506', owner: board, capitalPlanVnd: 35 * ty }),
];

/** the KPI the pack judges the stream by (kpi-targets.json) */
export const disbursementKpiTarget = {
  id: 'disbursement-rate',
  name: { vi: 'Tỷ lệ giải ngân vốn đầu tư công so với kế hoạch vốn năm', en: 'Public-investment disbursement against the year’s plan' },
  stream: 'disbursement',
  metric: 'sum(disbursedToDateVnd) / sum(capitalPlanVnd), each project’s last report, per plan year',
  unit: 'ratio',
  direction: 'atLeast',
  target: 0.95,
  period: 'month',
  origin: 'plan',
  basis:
    'the plan asks to disburse the year’s capital plan in full and on schedule (III.3.10, “giải ngân đến cuối năm 2022 theo đúng kế hoạch”); the Government set 95–100% for 2022 (Resolution 124/NQ-CP, 15/9/2022): 95% is the bar, reached by the plan year’s last report (31 January of the next year, the extension of Law on Public Investment 2019 art. 68); a month before that shows the way there, not a verdict',
  sources: [plan, 'https://thoibaotaichinhvietnam.vn/public-investment-disbursement-reaches-5243-in-january-november-117786.html'],
} as const;

/** projects report once a month (by the month's last day); silence is judged on a 31-day cadence, in office hours */
export const disbursementCadence = { cadenceMinutes: 31 * 1440, hours: { from: '07:00', to: '17:30' }, weekdays: [1, 2, 3, 4, 5] } as const;

export const projectsSource = {
  id: 'projects',
  title: 'Public-investment projects of Vũng Tàu city (SIMULATED list: kinds from the action plan, real wards; one public project, Thùy Vân, cited)',
  url: 'packs/tools/vung-tau-projects.ts',
  licence: 'ours (simulated); facts of the cited news',
  usedFor: ['projects.json', 'kpi-targets.json'],
} as const;
