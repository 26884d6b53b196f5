import sharp from 'sharp';

// Real files for the browser: a one-page PDF a viewer can draw, padded to `size` bytes with a
// comment so an upload lasts long enough to watch, and a PNG photo stand-in.

export function onePagePdf({ text, size = 0 }: { text: string; size?: number }): Buffer {
	const stream = `BT /F1 28 Tf 72 760 Td (${text}) Tj ET`;
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
		`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'
	];
	let out = '%PDF-1.4\n';
	const offsets: number[] = [];
	objects.forEach((o, i) => {
		offsets.push(out.length);
		out += `${i + 1} 0 obj\n${o}\nendobj\n`;
	});
	const xref = out.length;
	out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	for (const at of offsets) out += `${String(at).padStart(10, '0')} 00000 n \n`;
	out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	// Bytes after %%EOF are ignored by readers.
	const padding = Math.max(0, size - out.length);
	return Buffer.concat([Buffer.from(out, 'latin1'), Buffer.alloc(padding, '%')]);
}

export function sitePhoto({ width, height }: { width: number; height: number }): Promise<Buffer> {
	const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
		<rect width="100%" height="100%" fill="#0f766e"/>
		<circle cx="50%" cy="50%" r="${Math.round(height / 3)}" fill="#fbbf24"/></svg>`;
	return sharp(Buffer.from(svg)).png().toBuffer();
}
