import { monitorEventLoopDelay } from 'node:perf_hooks';

// How late this process's event loop runs ready callbacks: what every socket and request of the
// instance waits on top of its own work. Sampled by a 10 ms timer; each sample is the time
// between two ticks, so an idle loop reads ~10 ms (figures include the sampling interval).
export function eventLoopMonitor({ resolutionMs = 10 } = {}) {
	const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
	histogram.enable();
	const ms = (ns: number) => Math.round(ns / 10_000) / 100;
	return {
		/** Percentiles since start or the last reset (`reset` starts a new window after reading). */
		read({ reset = false } = {}) {
			const figures = {
				samples: histogram.count,
				p50Ms: ms(histogram.percentile(50)),
				p99Ms: ms(histogram.percentile(99)),
				maxMs: ms(histogram.max)
			};
			if (reset) histogram.reset();
			return figures;
		},
		stop: () => histogram.disable()
	};
}
