import { stringify } from 'csv-stringify/sync';
import writeXlsxFile from 'write-excel-file/node';
import type { DataStreamName } from '@haidang/stream';
import { streamColumns } from './columns.ts';

/** the header row (Vietnamese) and one example row of a stream's report */
function templateRows(stream: DataStreamName): [string[], string[]] {
  const cols = streamColumns[stream].filter((c) => c.field !== 'id');
  return [cols.map((c) => c.headers[0]!), cols.map((c) => c.example)];
}

/** UTF-8 with a BOM, so Excel opens the Vietnamese headers correctly */
export function csvTemplate(stream: DataStreamName): Buffer {
  return Buffer.concat([Buffer.from('\ufeff'), Buffer.from(stringify(templateRows(stream)))]);
}

export async function xlsxTemplate(stream: DataStreamName): Promise<Buffer> {
  const [header, example] = templateRows(stream);
  // every cell as text: "95.000" and "15/08/2022 07:00" are what a department types
  return writeXlsxFile([header.map((h) => ({ value: h, fontWeight: 'bold' as const })), example.map((v) => ({ value: v, type: String }))], { sheet: stream }).toBuffer();
}
