export * from './users';
export * from './orgs';
export * from './mail';
export * from './collab';
