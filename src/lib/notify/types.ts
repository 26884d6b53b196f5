/** One notification as the bell and the list get it: facts, put into words by `describe`. */
export type NotificationItem = {
	id: string;
	type: string;
	data: Record<string, unknown>;
	/** Path inside the app it opens. */
	link: string | null;
	read: boolean;
	/** When it last changed (a batch of deal changes grows), ISO. */
	at: string;
};

/** What the live stream sends (event `feed`) on connect and after every change. */
export type NotificationFeed = { unread: number; items: NotificationItem[] };

/** The follow endpoint's answer (`/o/<org>/deals/<deal>/follow`). */
export type FollowState = { following: boolean };
