import { z } from 'zod';
import { LocalizedText, text } from './i18n-text';
import { STACK_ERRORS } from './stack-errors';
import { BACKUP_ERRORS } from './backup-errors';
import { SERVICE_ERRORS } from './service-errors';
import { DIAGNOSTICS_ERRORS } from './diagnostics-errors';

/**
 * Every error any face can show. Codes are stable: support scripts, docs/troubleshooting
 * and the CLI exit codes key off them, so rename nothing, only add.
 */
export const ERROR_CATALOG = {
  INVALID_REQUEST: {
    message: text('请求参数无效。', 'The request is not valid.'),
    remedy: text('检查输入的字段；详细信息列出了不符合要求的字段。', 'Check the fields named in the detail and try again.'),
  },
  UNKNOWN_METHOD: {
    message: text('未知的操作。', 'Unknown API method.'),
    remedy: text('客户端与管理程序版本可能不一致，请升级到同一版本。', 'The client and the manager may be different versions; install matching versions.'),
  },
  UNAUTHORIZED: {
    message: text('未登录或登录令牌无效。', 'Not signed in, or the sign-in token is wrong.'),
    remedy: text('使用首次启动时打印的令牌登录；令牌保存在数据目录的 console-token 文件中（仅 root 可读）。', 'Sign in with the token printed at first start; it is kept in the data directory file console-token (readable by its owner only).'),
  },
  FORBIDDEN_ORIGIN: {
    message: text('请求来自不受信任的页面或主机名，已拒绝。', 'The request came from an untrusted page or host name and was refused.'),
    remedy: text('只能通过控制台打印的地址访问（默认 http://127.0.0.1）。', 'Open the console only at the address it printed (http://127.0.0.1 by default).'),
  },
  ENGINE_SOCKET_MISSING: {
    message: text('找不到 Docker 引擎套接字 {socket}。', 'The Docker engine socket {socket} does not exist.'),
    remedy: text('安装并启动 Docker：apt-get install -y docker.io，然后 systemctl start docker（无 systemd 时运行 dockerd &）。', 'Install and start Docker: apt-get install -y docker.io, then systemctl start docker (without systemd: run dockerd in the background).'),
  },
  ENGINE_NOT_RUNNING: {
    message: text('Docker 引擎未运行：{socket} 无法连接。', 'The Docker engine is not running: nothing answers on {socket}.'),
    remedy: text('启动 Docker：systemctl start docker；查看原因：journalctl -u docker。', 'Start Docker: systemctl start docker; see why it stopped: journalctl -u docker.'),
  },
  ENGINE_PERMISSION_DENIED: {
    message: text('没有权限访问 Docker 引擎套接字 {socket}。', 'Permission denied on the Docker engine socket {socket}.'),
    remedy: text('以 root 运行，或把当前用户加入 docker 组：usermod -aG docker <用户名>，然后重新登录。', 'Run as root, or add this user to the docker group: usermod -aG docker <user>, then log in again.'),
  },
  ENGINE_TIMEOUT: {
    message: text('Docker 引擎 {socket} 在 {seconds} 秒内没有响应。', 'The Docker engine on {socket} did not answer within {seconds} s.'),
    remedy: text('引擎可能过载或卡住；检查 docker info 是否响应，必要时重启 Docker。', 'The engine may be overloaded or hung; check that `docker info` answers and restart Docker if needed.'),
  },
  ENGINE_ERROR: {
    message: text('Docker 引擎返回错误。', 'The Docker engine returned an error.'),
    remedy: text('查看详细信息和 Docker 日志（journalctl -u docker）。', 'See the detail and the Docker log (journalctl -u docker).'),
  },
  OPERATION_NOT_FOUND: {
    message: text('找不到操作 {id}。', 'Operation {id} was not found.'),
    remedy: text('用 medai operation list 查看最近的操作。', 'List recent operations with: medai operation list.'),
  },
  STATE_UNAVAILABLE: {
    message: text('无法打开管理程序的数据目录 {dir}。', 'The manager data directory {dir} cannot be opened.'),
    remedy: text('检查目录权限和磁盘空间，或用 --data-dir 指定其他目录。', 'Check its permissions and free disk space, or choose another with --data-dir.'),
  },
  STATE_TOO_NEW: {
    message: text('数据目录由更新版本的管理程序创建（架构版本 {found}，本程序支持 {supported}）。', 'The data directory was written by a newer manager (schema {found}; this one knows {supported}).'),
    remedy: text('安装与数据目录相同或更新版本的管理程序；不要降级。', 'Install the same or a newer manager version; do not downgrade.'),
  },
  CONSOLE_UNREACHABLE: {
    message: text('无法连接管理控制台。', 'The manager console cannot be reached.'),
    remedy: text('确认 medai console 仍在运行（它打印的地址与端口），然后刷新页面。', 'Check that `medai console` is still running at the address it printed, then reload the page.'),
  },
  INTERNAL: {
    message: text('管理程序内部错误。', 'Internal error in the manager.'),
    remedy: text('导出诊断包并联系技术支持。', 'Export a diagnostics bundle and contact support.'),
  },
  // Offline bundle (bundle/). Refusals before import say that nothing was changed.
  BUNDLE_NOT_FOUND: {
    message: text('找不到离线包文件 {path}。', 'The bundle file {path} does not exist or cannot be read.'),
    remedy: text('检查路径与读取权限；U 盘需先挂载。', 'Check the path and read permission; mount the USB disk first.'),
  },
  BUNDLE_NOT_A_BUNDLE: {
    message: text('{path} 不是离线包（缺少 manifest.json 或签名）。未做任何更改。', '{path} is not an offline bundle (manifest.json or its signature is missing). Nothing was changed.'),
    remedy: text('选择厂商提供的 .medai-bundle 文件。', 'Choose the .medai-bundle file supplied by the vendor.'),
  },
  BUNDLE_TRUNCATED: {
    message: text('离线包不完整：文件应为 {expected} 字节，实际只有 {actual} 字节。未做任何更改。', 'The bundle is incomplete: it should be {expected} bytes but is {actual} bytes. Nothing was changed.'),
    remedy: text('文件在复制或下载时被截断。重新复制（复制后可用 sha256sum 与厂商给出的值比对）。', 'The file was cut short while copying or downloading. Copy it again (compare sha256sum with the value the vendor gives).'),
  },
  BUNDLE_SIGNATURE_INVALID: {
    message: text('离线包签名无效：清单在签名后被修改过。未做任何更改。', 'The bundle signature is not valid: the manifest was changed after it was signed. Nothing was changed.'),
    remedy: text('不要使用此文件；向厂商重新索取离线包。', 'Do not use this file; ask the vendor for the bundle again.'),
  },
  BUNDLE_UNKNOWN_SIGNER: {
    message: text('离线包由未知的密钥签名（密钥指纹 {keyId}）。未做任何更改。', 'The bundle is signed by an unknown key (fingerprint {keyId}). Nothing was changed.'),
    remedy: text('只导入厂商签名的离线包。如果厂商更换了密钥，请先升级管理程序以获得新的受信任公钥。', 'Import only bundles signed by the vendor. If the vendor changed keys, upgrade the manager first to get the new trusted public key.'),
  },
  BUNDLE_MANIFEST_INVALID: {
    message: text('离线包清单格式不正确。未做任何更改。', 'The bundle manifest does not follow the bundle format. Nothing was changed.'),
    remedy: text('此离线包可能由不兼容的工具生成；详细信息列出了不符合的字段。请向厂商索取与本管理程序版本匹配的离线包。', 'It may have been made by an incompatible tool; the detail names the fields. Ask the vendor for a bundle that matches this manager version.'),
  },
  BUNDLE_ENTRY_CORRUPT: {
    message: text('离线包中的 {entry} 已损坏（校验和或大小不符）。没有保留任何来自此离线包的内容，现有系统未受影响。', 'The entry {entry} in the bundle is corrupt (checksum or size mismatch). Nothing from this bundle was kept; the installed stack is untouched.'),
    remedy: text('文件在复制过程中损坏。重新复制离线包后再试。', 'The file was damaged in transfer. Copy the bundle again and retry.'),
  },
  BUNDLE_DOWNGRADE: {
    message: text('离线包版本 {bundle} 低于已安装版本 {installed}（降级）。未做任何更改。', 'The bundle version {bundle} is older than the installed version {installed} (a downgrade). Nothing was changed.'),
    remedy: text('使用不低于 {installed} 的离线包。确需降级时，使用 --force（界面中勾选“允许降级”）。', 'Use a bundle of version {installed} or newer. To downgrade on purpose, use --force (tick "allow downgrade" in the wizard).'),
  },
  BUNDLE_UPGRADE_PATH: {
    message: text('离线包 {bundle} 只能从 {min} 或更新的版本升级，当前安装的是 {installed}。未做任何更改。', 'Bundle {bundle} can only upgrade from {min} or newer; the installed version is {installed}. Nothing was changed.'),
    remedy: text('先导入并安装中间版本（≥ {min}），再导入此离线包。', 'Import and install an intermediate release (≥ {min}) first, then this bundle.'),
  },
  BUNDLE_DISK_FULL: {
    message: text('磁盘空间不足：导入需要约 {needed}，{dir} 只剩 {free}。未做任何更改。', 'Not enough disk space: the import needs about {needed}, but {dir} has only {free} free. Nothing was changed.'),
    remedy: text('清理磁盘（例如 docker image prune 删除不用的镜像），或扩容后重试。', 'Free disk space (for example remove unused images with docker image prune) or enlarge the disk, then retry.'),
  },
  BUNDLE_IMAGE_LOAD_FAILED: {
    message: text('Docker 引擎拒绝载入镜像 {ref}。已撤销本次导入，现有系统未受影响。', 'The Docker engine refused to load the image {ref}. This import was undone; the installed stack is untouched.'),
    remedy: text('查看详细信息与 Docker 日志（journalctl -u docker）；确认磁盘未满、引擎正常后重试。', 'See the detail and the Docker log (journalctl -u docker); check disk space and engine health, then retry.'),
  },
  BUNDLE_IMAGE_ID_MISMATCH: {
    message: text('载入的镜像 {ref} 的 ID 与清单不符（应为 {expected}）。已撤销本次导入。', 'The loaded image {ref} does not have the ID the manifest names ({expected}). This import was undone.'),
    remedy: text('离线包制作有误；请向厂商报告并索取新的离线包。', 'The bundle was built wrongly; report it to the vendor and ask for a new bundle.'),
  },
  BUNDLE_KEY_INVALID: {
    message: text('无法读取签名密钥 {path}。', 'The signing key {path} cannot be read.'),
    remedy: text('用 medai bundle keygen 生成密钥对；私钥文件须为 Ed25519 PEM 格式。', 'Create a key pair with `medai bundle keygen`; the private key must be an Ed25519 PEM file.'),
  },
  BUNDLE_BUILD_INPUT_INVALID: {
    message: text('无法用 {file} 制作离线包。', 'The bundle cannot be built from {file}.'),
    remedy: text('按详细信息修正栈定义目录（compose.yaml、env.schema.json、stack.json、发行说明）。', 'Fix the stack definition folder as the detail says (compose.yaml, env.schema.json, stack.json, release notes).'),
  },
  BUNDLE_BUILD_IMAGE_MISSING: {
    message: text('本机 Docker 中没有镜像 {ref}，无法打包。', 'The image {ref} is not in the local Docker engine, so it cannot be bundled.'),
    remedy: text('在联网的构建机上先 docker pull（或 docker build）该镜像，再制作离线包。', 'On the (online) build machine, docker pull (or build) the image first, then build the bundle.'),
  },
  BUNDLE_IMPORT_BUSY: {
    message: text('另一个离线包导入正在进行（进程 {pid}）。未做任何更改。', 'Another bundle import is running (process {pid}). Nothing was changed.'),
    remedy: text('等它结束后再试；用 medai operation list 查看进度。', 'Wait for it to finish, then retry; follow it with: medai operation list.'),
  },
  BUNDLE_OUTPUT_EXISTS: {
    message: text('输出文件 {path} 已存在。', 'The output file {path} already exists.'),
    remedy: text('选择新的文件名，或先删除旧文件。', 'Choose another file name, or remove the old file first.'),
  },
  ...STACK_ERRORS,
  ...BACKUP_ERRORS,
  ...SERVICE_ERRORS,
  ...DIAGNOSTICS_ERRORS,
  // Host preflight (host/).
  HOST_CHECK_RUN_NOT_FOUND: {
    message: text('找不到主机检查记录 {runId}。', 'The host check run {runId} was not found.'),
    remedy: text('用 medai check --history 查看已保存的检查记录。', 'List the stored runs with: medai check --history.'),
  },
  HOST_FACT_UNAVAILABLE: {
    message: text('无法读取主机信息：{what}。', 'A host fact cannot be read: {what}.'),
    remedy: text('确认 /proc、/sys 已挂载且路径存在；以 root 运行检查。', 'Make sure /proc and /sys are mounted and the path exists; run the check as root.'),
  },
  HOST_EXPORT_FAILED: {
    message: text('无法写入报告文件 {file}。', 'The report file {file} cannot be written.'),
    remedy: text('检查目录是否存在、是否可写，以及磁盘空间。', 'Check that the directory exists and is writable, and that there is free disk space.'),
  },
} as const satisfies Record<string, { message: LocalizedText; remedy: LocalizedText }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;
export const ErrorCode = z.enum(Object.keys(ERROR_CATALOG) as [ErrorCode, ...ErrorCode[]]);

export const ApiError = z
  .object({
    code: ErrorCode,
    message: LocalizedText,
    remedy: LocalizedText,
    /** Technical detail for support: never contains secrets. */
    detail: z.string().optional(),
  })
  .strict();
export type ApiError = z.infer<typeof ApiError>;

const fill = (t: LocalizedText, params: Record<string, string | number>): LocalizedText => {
  const sub = (s: string) => s.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
  return { 'zh-CN': sub(t['zh-CN']), en: sub(t.en) };
};

/** Builds the error value for a code, filling {placeholders} from params. */
export function apiError(code: ErrorCode, params: Record<string, string | number> = {}, detail?: string): ApiError {
  const entry = ERROR_CATALOG[code];
  return { code, message: fill(entry.message, params), remedy: fill(entry.remedy, params), ...(detail ? { detail } : {}) };
}

/**
 * The one exception type the core throws: it carries an ApiError value, so every face
 * reports the same code, message and remedy instead of a stack trace.
 */
export class CoreError extends Error {
  constructor(readonly error: ApiError) {
    super(`${error.code}: ${error.message.en}`);
    this.name = 'CoreError';
  }
}

export const fail = (code: ErrorCode, params: Record<string, string | number> = {}, detail?: string): CoreError =>
  new CoreError(apiError(code, params, detail));

/** Turns anything thrown into an ApiError; unknown throws become INTERNAL with their message as detail. */
export function toApiError(thrown: unknown): ApiError {
  if (thrown instanceof CoreError) return thrown.error;
  const parsed = ApiError.safeParse(thrown);
  if (parsed.success) return parsed.data;
  return apiError('INTERNAL', {}, thrown instanceof Error ? thrown.message : String(thrown));
}
