import { StyleSheetManager } from '@dnd-kit/dom';

// dnd-kit 0.2 adopts its Feedback plugin's stylesheet into the document when a drag starts and
// removes it at the drop. The sheet holds an anonymous `@layer`, and taking a cascade layer out
// of the document makes Chromium restyle and lay out every element: 29 ms at each drop on a
// board of ~2,500 elements in the bench's Chromium, against 0.7 ms for the same rules without
// the layer (measured by adopting and removing each sheet on the demo board). Its rules only
// match elements dnd-kit marks while dragging (`data-dnd-*`), so the sheet is adopted once,
// when a manager first registers it, and kept: no drag adds or removes it. Every component with
// a DragDropProvider calls this first (the board, the pipeline's stage list).
//
// The layer holds a reset of the browser's popover styles (background, border, padding …) for
// the dragged element. Anonymous and adopted after the app's stylesheet, it came after
// Tailwind's layers and beat the card's own utilities: the lifted card lost its white
// background, border and padding. It goes into Tailwind's `base` layer instead, below the
// utilities and still above the browser's styles.

const kept = new Set<string>();
let installed = false;

export function keepDndStylesAdopted() {
	if (typeof document === 'undefined' || installed) return;
	installed = true;
	StyleSheetManager.prototype.register = function (cssRules: string) {
		if (!kept.has(cssRules)) {
			kept.add(cssRules);
			const sheet = new CSSStyleSheet();
			sheet.replaceSync(cssRules.replace('@layer {', '@layer base {'));
			document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
		}
		// Nothing registered with the manager, so it has nothing to add or remove per drag.
		return () => {};
	};
}
