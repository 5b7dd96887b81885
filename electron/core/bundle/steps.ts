import { text } from '../contract';

/** Step labels of the bundle operations, in both languages. */
export const STEP = {
  signature: text('校验签名与清单', 'Checking signature and manifest'),
  space: text('检查磁盘空间', 'Checking disk space'),
  verifyImage: (ref: string) => text(`校验镜像 ${ref}`, `Verifying image ${ref}`),
  importImage: (ref: string) => text(`导入镜像 ${ref}`, `Importing image ${ref}`),
  skipImage: (ref: string) => text(`已存在，校验后跳过 ${ref}`, `Already present, verifying only ${ref}`),
  model: (name: string) => text(`校验模型 ${name}`, `Verifying model ${name}`),
  record: text('记录导入结果', 'Recording the import'),
  saveImage: (ref: string) => text(`导出镜像 ${ref}`, `Saving image ${ref}`),
  writeBundle: text('写入离线包', 'Writing the bundle'),
} as const;
