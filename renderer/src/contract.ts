// The renderer's only door into electron/: the contract's schemas, types and channel
// names. Everything else under electron/ is Node or Electron code and stays out.
export * from '../../electron/core/contract';
