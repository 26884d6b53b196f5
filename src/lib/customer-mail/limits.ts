// Limits of email to customers, checked by the compose panel and again by the server.

const MiB = 1024 * 1024;

export const customerMailLimits = {
	subject: 200,
	body: 20_000,
	templateName: 100,
	signature: 1000,
	attachments: 10,
	/**
	 * Total size of the attached files. Resend accepts 40 MB per message after base64 (which adds
	 * a third); 25 MiB of files is about 34 MB on the wire, with room for the text.
	 */
	attachmentBytes: 25 * MiB
} as const;
