import type { MessageKey, Translate } from '$lib/i18n';
import { isBoardOpError } from '../errors';

/** The translated message for a refused board op (`board.error.<code>`), or a generic one. */
export function boardErrorMessage(t: Translate, err: unknown): string {
	if (isBoardOpError(err)) return t(`board.error.${err.code}` as MessageKey, err.params);
	return t('common.serverError');
}
