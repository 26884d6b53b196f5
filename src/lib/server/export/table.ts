import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';

// Tables downloaded as CSV or XLSX, streamed: rows arrive in chunks from an async iterable (a
// repo's keyset pages) and leave as they come, so a large export never sits whole in memory.
//
// CSV: UTF-8 with a BOM (without it Excel reads Vietnamese as mojibake), RFC 4180 quoting, CRLF.
// A text cell starting with = + - @ (or a tab / carriage return) gets a leading apostrophe:
// spreadsheets would otherwise run it as a formula (CSV injection, OWASP). Numbers are written
// bare and never start with those characters (amounts are not negative).
// XLSX: text cells are typed strings, never formulas, so they need no guard; amounts carry a
// đồng number format, dates are real dates in the organisation's time zone.

export type CellKind = 'text' | 'money' | 'date' | 'datetime';
export type ExportColumn<R> = {
	header: string;
	kind: CellKind;
	/** Text; integer đồng for money; `YYYY-MM-DD` for date; an ISO instant for datetime. */
	value: (row: R) => string | number | null;
	/** Width in characters (XLSX). */
	width?: number;
};

export type ExportInput<R> = {
	/** File name without extension; ASCII is safest in every browser. */
	filename: string;
	sheet: string;
	columns: readonly ExportColumn<R>[];
	rows: AsyncIterable<readonly R[]>;
	timeZone: string;
};

const FORMULA_START = /^[=+\-@\t\r]/;

export function guardFormula(text: string): string {
	return FORMULA_START.test(text) ? `'${text}` : text;
}

export function csvCell(value: string | number | null): string {
	if (value === null) return '';
	if (typeof value === 'number') return String(value);
	const text = guardFormula(value);
	return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** `YYYY-MM-DD HH:mm` in the time zone: what Excel and people read as a date and time. */
function localDateTime(iso: string, timeZone: string): { text: string; parts: number[] } {
	const f = new Intl.DateTimeFormat('en-GB', {
		timeZone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
		hourCycle: 'h23'
	});
	const p = Object.fromEntries(f.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
	const parts = [p.year, p.month, p.day, p.hour, p.minute, p.second].map(Number);
	return { text: `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`, parts };
}

function headers(filename: string, ext: 'csv' | 'xlsx', type: string) {
	const name = `${filename}.${ext}`;
	return {
		'content-type': type,
		// Both forms: plain for old clients, RFC 5987 for the accented names some may have.
		'content-disposition': `attachment; filename="${name.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
		// Personal data: never kept by a cache on the way.
		'cache-control': 'no-store',
		'x-content-type-options': 'nosniff'
	};
}

export function csvLines<R>({
	columns,
	rows,
	timeZone
}: Pick<ExportInput<R>, 'columns' | 'rows' | 'timeZone'>): AsyncIterable<string> {
	return (async function* () {
		yield '\uFEFF' + columns.map((c) => csvCell(c.header)).join(',') + '\r\n';
		for await (const chunk of rows) {
			let out = '';
			for (const row of chunk) {
				out +=
					columns
						.map((c) => {
							const v = c.value(row);
							if (v === null || v === '') return '';
							if (c.kind === 'datetime') return localDateTime(String(v), timeZone).text;
							if (c.kind === 'money') return typeof v === 'number' ? String(v) : csvCell(v);
							return csvCell(typeof v === 'number' ? String(v) : v);
						})
						.join(',') + '\r\n';
			}
			yield out;
		}
	})();
}

export function csvResponse<R>(input: ExportInput<R>): Response {
	const encoder = new TextEncoder();
	const lines = csvLines(input)[Symbol.asyncIterator]();
	const body = new ReadableStream<Uint8Array>({
		async pull(controller) {
			const { value, done } = await lines.next();
			if (done) controller.close();
			else controller.enqueue(encoder.encode(value));
		},
		async cancel() {
			await lines.return?.();
		}
	});
	return new Response(body, { headers: headers(input.filename, 'csv', 'text/csv; charset=utf-8') });
}

const numFmt: Record<CellKind, string | undefined> = {
	text: undefined,
	money: '#,##0 "₫"',
	date: 'dd/mm/yyyy',
	datetime: 'dd/mm/yyyy hh:mm'
};

/** Writes the workbook into `out` (a Node stream), row by row. */
export async function writeXlsx<R>(
	out: NodeJS.WritableStream,
	{ sheet, columns, rows, timeZone }: Omit<ExportInput<R>, 'filename'>
) {
	const book = new ExcelJS.stream.xlsx.WorkbookWriter({
		stream: out as unknown as import('node:stream').Stream,
		useStyles: true,
		useSharedStrings: false
	});
	const ws = book.addWorksheet(sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
	ws.columns = columns.map((c, i) => ({
		key: String(i),
		header: c.header,
		width: c.width ?? (c.kind === 'text' ? 24 : 16),
		style: numFmt[c.kind] ? { numFmt: numFmt[c.kind] } : {}
	}));
	ws.getRow(1).font = { bold: true };
	ws.getRow(1).commit();
	for await (const chunk of rows) {
		for (const row of chunk) {
			const values = columns.map((c) => {
				const v = c.value(row);
				if (v === null || v === '') return null;
				if (c.kind === 'money') return typeof v === 'number' ? v : String(v);
				if (c.kind === 'date') {
					const [y, m, d] = String(v).split('-').map(Number);
					return new Date(Date.UTC(y!, m! - 1, d!));
				}
				// Excel has no time zones: a date cell holds wall-clock time. Write the
				// organisation's local time as if it were UTC, which is what exceljs serialises.
				if (c.kind === 'datetime') {
					const [y, mo, d, h, mi, s] = localDateTime(String(v), timeZone).parts;
					return new Date(Date.UTC(y!, mo! - 1, d!, h, mi, s));
				}
				return String(v);
			});
			ws.addRow(values).commit();
		}
	}
	ws.commit();
	await book.commit();
}

export function xlsxResponse<R>({ filename, ...input }: ExportInput<R>): Response {
	const out = new PassThrough();
	writeXlsx(out, input).catch((err: unknown) => out.destroy(err as Error));
	return new Response(Readable.toWeb(out) as ReadableStream<Uint8Array>, {
		headers: headers(
			filename,
			'xlsx',
			'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
		)
	});
}
