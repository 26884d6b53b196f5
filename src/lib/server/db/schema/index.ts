export * from './users';
export * from './orgs';
export * from './mail';
export * from './collab';
export * from './pipelines';
export * from './customers';
export * from './board';
export * from './deal-events';
