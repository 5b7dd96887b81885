import { z } from 'zod';
import { LocalizedText, text } from './i18n-text';

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
