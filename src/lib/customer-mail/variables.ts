// Variables of email templates (issue 6), shared by the compose panel's preview and the server
// that fills them when sending, so the customer gets exactly what the preview showed.

export const variableNames = ['ten_khach_hang', 'ten_co_hoi', 'gia_tri', 'chu_ky'] as const;
export type VariableName = (typeof variableNames)[number];
export type VariableValues = Record<VariableName, string>;

export const isVariableName = (name: string): name is VariableName =>
	(variableNames as readonly string[]).includes(name);

// `{{ name }}`: spaces inside the braces are allowed, nothing else is guessed at.
const VARIABLE = /\{\{\s*([^{}\s]*)\s*\}\}/g;

export type Filled = {
	text: string;
	/** Written as variables but not known: left in the text as typed, so nothing vanishes. */
	unknown: string[];
	/** Known but without a value for this deal (no customer name, no signature…): left as typed. */
	empty: VariableName[];
};

/**
 * Replaces every known variable with its value, in one pass (a value that itself looks like a
 * variable stays as it is). Unknown and empty ones are left visible and reported, so the writer
 * sees them in the preview instead of the customer finding a hole in the sentence.
 */
export function fillVariables(text: string, values: Partial<VariableValues>): Filled {
	const unknown = new Set<string>();
	const empty = new Set<VariableName>();
	const out = text.replace(VARIABLE, (whole, name: string) => {
		if (!isVariableName(name)) {
			unknown.add(whole);
			return whole;
		}
		const value = values[name];
		if (value === undefined || value.trim() === '') {
			empty.add(name);
			return whole;
		}
		return value;
	});
	return { text: out, unknown: [...unknown], empty: [...empty] };
}

/** The variable as a writer types it. */
export const variableToken = (name: VariableName) => `{{${name}}}`;
