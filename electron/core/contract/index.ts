/** The core's API contract: the single module every face imports. */
export * from './i18n-text';
export * from './errors';
export * from './operation';
export * from './engine';
export * from './settings';
export * from './bundle';
export * from './stack';
export * from './backup';
export * from './host';
export * from './service';
export * from './diagnostics';
export * from './methods';
export * from './envelope';
export { IPC, HTTP } from './channels';
