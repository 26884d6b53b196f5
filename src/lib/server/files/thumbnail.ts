import sharp from 'sharp';

/** Thumbnails fit in this box (CSS pixels ×2 for sharp screens in a 160 px slot). */
export const THUMBNAIL_WIDTH = 320;
const THUMBNAIL_MAX_HEIGHT = 640;
// A decompression bomb (a small file that decodes to gigapixels) is refused before decoding:
// 100 megapixels covers the largest phone photos (108 MP sensors bin to 12 MP by default).
const MAX_INPUT_PIXELS = 100_000_000;

/**
 * A small WebP of an image, turned upright by its EXIF orientation, or null when the image
 * cannot be decoded (damaged, too large, an unusual variant): the list then shows an icon.
 */
export async function makeThumbnail(image: Buffer): Promise<Buffer | null> {
	try {
		return await sharp(image, { limitInputPixels: MAX_INPUT_PIXELS, animated: false })
			.rotate()
			.resize({
				width: THUMBNAIL_WIDTH,
				height: THUMBNAIL_MAX_HEIGHT,
				fit: 'inside',
				withoutEnlargement: true
			})
			.webp({ quality: 72 })
			.toBuffer();
	} catch {
		return null;
	}
}
