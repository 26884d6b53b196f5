// autocannon 8 ships no types; the part of its programmatic API the bench uses.
declare module 'autocannon' {
	import type { EventEmitter } from 'node:events';

	type Options = {
		url: string;
		connections?: number;
		duration?: number;
		amount?: number;
		pipelining?: number;
		timeout?: number;
		headers?: Record<string, string>;
		/** Requests each connection sends in turn (paths relative to `url`). */
		requests?: { path: string; method?: string }[];
	};
	type Histogram = {
		average: number;
		mean: number;
		stddev: number;
		min: number;
		max: number;
		p50: number;
		p90: number;
		p97_5: number;
		p99: number;
	};
	export type Result = {
		latency: Histogram;
		requests: Histogram & { total: number };
		errors: number;
		timeouts: number;
		non2xx: number;
		duration: number;
	};
	type Instance = EventEmitter &
		PromiseLike<Result> & {
			stop(): void;
			on(
				event: 'response',
				listener: (client: unknown, statusCode: number, bytes: number, ms: number) => void
			): Instance;
		};

	function autocannon(options: Options): Instance;
	export default autocannon;
}
