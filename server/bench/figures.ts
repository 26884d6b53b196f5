// One JSON line per figure on stdout, as /work/shared/metrics.md and docs/performance.md specify:
// {"metric":"app.login_p95_ms","value":12.4,"unit":"ms","target":"<=50","note":"…"}
// Progress and diagnostics go to stderr, so stdout stays machine-readable.
export type Figure = {
	metric: string;
	value: number | null;
	unit: string;
	target: string;
	note: string;
};

export function printFigure(figure: Figure) {
	const value = figure.value === null ? null : Math.round(figure.value * 10) / 10;
	process.stdout.write(
		JSON.stringify({
			metric: figure.metric,
			value,
			unit: figure.unit,
			target: figure.target,
			note: figure.note
		}) + '\n'
	);
}

export function progress(message: string) {
	process.stderr.write(`[bench] ${message}\n`);
}

export function median(values: number[]) {
	const s = [...values].sort((a, b) => a - b);
	const mid = Math.floor(s.length / 2);
	return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Nearest-rank percentile (p in 0–100) of raw samples. */
export function percentile(values: number[], p: number) {
	if (values.length === 0) return NaN;
	const s = [...values].sort((a, b) => a - b);
	const rank = Math.ceil((p / 100) * s.length);
	return s[Math.min(s.length - 1, Math.max(0, rank - 1))]!;
}
