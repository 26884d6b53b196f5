import { en as auth } from './messages/en/auth';
import { en as boards } from './messages/en/boards';
import { en as commissions } from './messages/en/commissions';
import { en as common } from './messages/en/common';
import { en as contracts } from './messages/en/contracts';
import { en as files } from './messages/en/files';
import { en as ledger } from './messages/en/ledger';
import { en as deal } from './messages/en/deal';
import { en as deals } from './messages/en/deals';
import { en as customers } from './messages/en/customers';
import { en as customerMail } from './messages/en/customerMail';
import { en as mail } from './messages/en/mail';
import { en as notify } from './messages/en/notify';
import { en as orgs } from './messages/en/orgs';
import { en as payments } from './messages/en/payments';
import { en as pipelines } from './messages/en/pipelines';
import { en as receivables } from './messages/en/receivables';
import { en as search } from './messages/en/search';
import { en as shell } from './messages/en/shell';
import { en as tasks } from './messages/en/tasks';
import type { Dictionary } from './index';

// Every English message, in a chunk of its own (see `loadLocale` in index.ts). Each domain's `en`
// is typed against its Vietnamese keys, so a key missing from either language fails the typecheck.
export const en: Dictionary = {
	...auth,
	...boards,
	...commissions,
	...common,
	...contracts,
	...files,
	...ledger,
	...deal,
	...deals,
	...customers,
	...customerMail,
	...mail,
	...notify,
	...orgs,
	...payments,
	...pipelines,
	...receivables,
	...search,
	...shell,
	...tasks
};
