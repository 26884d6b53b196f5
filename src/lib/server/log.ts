import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger({ level }: { level: string }): Logger {
	return pino({
		level,
		base: { service: 'chot' },
		redact: {
			paths: ['req.headers.cookie', 'password', '*.password', 'token', '*.token'],
			censor: '[redacted]'
		}
	});
}
