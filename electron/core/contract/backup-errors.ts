import { text } from './i18n-text';

/**
 * Error codes of the backup capability (repository engine, targets, snapshots, restore,
 * schedules). Spread into ERROR_CATALOG. Every refusal says what happened to the data:
 * earlier snapshots and the running stack are left as they were unless stated.
 * Codes are stable: rename nothing, only add.
 */
export const BACKUP_ERRORS = {
  BACKUP_ENGINE_MISSING: {
    message: text('找不到备份引擎 restic（{path}）。', 'The backup engine restic was not found ({path}).'),
    remedy: text('重新安装管理程序（restic 随程序提供），或用环境变量 MEDAI_RESTIC 指向 restic 0.17 或更新版本。', 'Reinstall the manager (restic ships with it), or point MEDAI_RESTIC at restic 0.17 or newer.'),
  },
  BACKUP_ENGINE_TOO_OLD: {
    message: text('备份引擎 restic 版本过旧：{path} 是 {found}，需要 {required} 或更新版本。', 'The backup engine restic is too old: {path} is {found}; {required} or newer is needed.'),
    remedy: text(
      '重新安装管理程序（随程序提供的 restic 版本合适），或用环境变量 MEDAI_RESTIC 指向 restic {required} 或更新版本。旧版本的退出码不同，会把“仓库被锁定”误报为“找不到仓库”。',
      'Reinstall the manager (the restic it ships is the right one), or point MEDAI_RESTIC at restic {required} or newer. Older releases use other exit codes and would report a locked repository as a missing one.',
    ),
  },
  BACKUP_ENGINE_FAILED: {
    message: text('备份引擎 restic 执行“{action}”失败。已有快照不受影响。', 'The backup engine restic failed during "{action}". Existing snapshots are not affected.'),
    remedy: text('查看详细信息；用“检查仓库”确认仓库完好后重试。', 'See the detail; run "verify repository" to confirm the repository is sound, then retry.'),
  },
  BACKUP_WRONG_PASSWORD: {
    message: text('备份仓库 {target} 的密码不正确，无法打开。仓库未被改动。', 'The password for the backup repository {target} is wrong, so it cannot be opened. The repository was not changed.'),
    remedy: text('使用创建仓库时打印的恢复单上的密码（medai backup target update --password-file）。没有正确的密码，仓库中的数据无法恢复。', 'Use the password from the recovery sheet printed when the repository was created (medai backup target update --password-file). Without the right password the data in it cannot be recovered.'),
  },
  BACKUP_REPO_NOT_FOUND: {
    message: text('备份目标 {target} 上没有备份仓库。', 'There is no backup repository at the target {target}.'),
    remedy: text('确认路径、桶名和前缀正确；新目标请先添加（添加时会初始化仓库）。', 'Check the path, bucket and prefix; a new target is initialised when you add it.'),
  },
  BACKUP_REPO_LOCKED: {
    message: text('备份仓库 {target} 被另一个 restic 进程锁定。', 'The backup repository {target} is locked by another restic process.'),
    remedy: text('等待该任务结束。若该进程已不存在（例如主机断电），运行 medai backup unlock {target} 清除过期的锁。', 'Wait for that job to finish. If that process no longer exists (for example after a power cut), clear the stale lock: medai backup unlock {target}.'),
  },
  BACKUP_BUSY: {
    message: text('备份目标 {target} 正在执行另一个任务（{job}，开始于 {since}）。本次任务未启动。', 'Another job ({job}, started {since}) is using the backup target {target}. This job was not started.'),
    remedy: text('同一仓库同时只运行一个任务。等它结束后重试；计划任务会在下一个时间点自动运行。', 'Only one job runs on a repository at a time. Retry when it has finished; scheduled runs start again at their next time.'),
  },
  BACKUP_TARGET_UNREACHABLE: {
    message: text('无法连接备份目标 {target}。已有快照不受影响，运行中的系统未被改动。', 'The backup target {target} cannot be reached. Existing snapshots are not affected and the running stack was not changed.'),
    remedy: text('检查网络、主机名与端口、挂载点（U 盘 / NAS 是否已挂载），然后用“测试连接”重试。', 'Check the network, host name and port, or the mount point (is the USB disk / NAS mounted?), then retry with "test connection".'),
  },
  BACKUP_TARGET_AUTH_FAILED: {
    message: text('备份目标 {target} 拒绝了登录凭据。', 'The backup target {target} refused the credentials.'),
    remedy: text('检查用户名、密钥或访问密钥（Access Key / Secret Key）及其权限，编辑目标后用“测试连接”重试。', 'Check the user name, key or access key / secret key and its permissions; edit the target and retry "test connection".'),
  },
  BACKUP_TARGET_FULL: {
    message: text('备份目标 {target} 空间已满，本次备份未完成，未被记为成功。已有快照不受影响。', 'The backup target {target} ran out of space. This backup did not finish and is not listed as good. Existing snapshots are not affected.'),
    remedy: text('扩容或清理目标，或收紧保留规则后运行“清理”，然后重试。', 'Enlarge or free the target, or tighten the keep rules and run "prune", then retry.'),
  },
  BACKUP_TARGET_NOT_FOUND: {
    message: text('没有名为 {target} 的备份目标。', 'There is no backup target {target}.'),
    remedy: text('用 medai backup target list 查看已配置的目标。', 'List configured targets with: medai backup target list.'),
  },
  BACKUP_TARGET_EXISTS: {
    message: text('备份目标 {target} 已存在。', 'A backup target named {target} already exists.'),
    remedy: text('换一个名称，或编辑现有目标。', 'Choose another name, or edit the existing target.'),
  },
  BACKUP_TARGET_INVALID: {
    message: text('备份目标设置无效：{reason}。未做任何更改。', 'The backup target settings are not valid: {reason}. Nothing was changed.'),
    remedy: text('按提示修正后重试。', 'Correct it as described and retry.'),
  },
  BACKUP_REPO_CORRUPT: {
    message: text('备份仓库 {target} 校验失败：部分数据已损坏。', 'The backup repository {target} failed verification: some data is damaged.'),
    remedy: text('立即向另一个目标做一次新的完整备份；详细信息列出了受损的数据。损坏的快照不能用于恢复，其余快照仍可恢复（用“验证”逐个确认）。', 'Make a fresh backup to another target now; the detail names the damaged data. Damaged snapshots cannot be restored; others still can (verify them one by one).'),
  },
  BACKUP_SNAPSHOT_NOT_FOUND: {
    message: text('备份目标 {target} 中没有快照 {snapshot}。', 'The snapshot {snapshot} is not in the backup target {target}.'),
    remedy: text('用 medai backup snapshots {target} 查看可用的快照。', 'List the snapshots with: medai backup snapshots {target}.'),
  },
  BACKUP_SNAPSHOT_INCOMPLETE: {
    message: text('快照 {snapshot} 不完整（备份在中途被中断），不能用于恢复。', 'The snapshot {snapshot} is incomplete (its backup was interrupted) and cannot be restored.'),
    remedy: text('选择一个标记为“完好”的快照。不完整的快照会在下一次清理时删除。', 'Pick a snapshot marked good. Incomplete snapshots are removed at the next prune.'),
  },
  BACKUP_BASE_MISSING: {
    message: text('快照 {snapshot} 是差异备份，它所依赖的完整备份 {base} 已不在备份目标中，无法恢复。当前数据保持原样。', 'The snapshot {snapshot} is a differential backup and the full backup it is based on ({base}) is no longer in the target, so it cannot be restored. The current data was left as it was.'),
    remedy: text('选择一个完整备份（每日备份），或选择其完整备份仍在的较早差异备份。保留规则会保留差异备份所依赖的完整备份；若该备份被手工删除（例如直接用 restic），请尽快做一次新的完整备份。', 'Pick a full (daily) set, or an earlier differential whose full is still there. The keep rules keep the full a differential depends on; if it was removed by hand (for example with restic directly), make a new full backup soon.'),
  },
  BACKUP_SNAPSHOT_TOO_NEW: {
    message: text('快照 {snapshot} 来自更新版本的系统（{snapshotVersion}），当前安装的是 {installed}。未做任何更改。', 'The snapshot {snapshot} was made by a newer stack ({snapshotVersion}); the installed stack is {installed}. Nothing was changed.'),
    remedy: text('先把系统升级到 {snapshotVersion} 或更新版本，再恢复此快照；或选择更早的快照。', 'Upgrade the stack to {snapshotVersion} or newer first, then restore this snapshot; or pick an older snapshot.'),
  },
  BACKUP_COMPONENT_FAILED: {
    message: text('备份组件 {component} 失败：{reason}。本次快照未被记为成功，已有快照不受影响。', 'The backup of {component} failed: {reason}. This snapshot is not listed as good; existing snapshots are not affected.'),
    remedy: text('查看详细信息；确认该服务正在运行且健康（medai status），然后重试。', 'See the detail; check that the service is running and healthy (medai status), then retry.'),
  },
  BACKUP_RESTORE_VERIFY_FAILED: {
    message: text('恢复的 {component} 与快照清单不一致（{reason}）。当前数据保持原样，未被替换。', 'The restored {component} does not match the snapshot manifest ({reason}). The current data was left as it was.'),
    remedy: text('用“验证”检查该快照；选择更早的快照再试，并联系技术支持。', 'Verify this snapshot; try an earlier snapshot, and contact support.'),
  },
  BACKUP_RESTORE_FAILED: {
    message: text('恢复 {component} 失败：{reason}。当前数据保持原样。', 'Restoring {component} failed: {reason}. The current data was left as it was.'),
    remedy: text('查看详细信息；确认服务运行正常、磁盘空间充足后重试。', 'See the detail; check that the services run and there is enough disk space, then retry.'),
  },
  BACKUP_CONFIRM_MISMATCH: {
    message: text('确认文字不符：请输入系统名称 {stack} 以确认覆盖当前数据。未做任何更改。', 'The confirmation does not match: type the stack name {stack} to confirm replacing the current data. Nothing was changed.'),
    remedy: text('输入系统名称（区分大小写）后重试；演练恢复不需要确认。', 'Type the stack name exactly (case-sensitive) and retry; a restore drill needs no confirmation.'),
  },
  BACKUP_STACK_SERVICE_MISSING: {
    message: text('找不到系统服务 {service} 的容器（{container}）。', 'The container of the stack service {service} ({container}) was not found.'),
    remedy: text('先启动系统（medai stack up），再备份或恢复。', 'Start the stack first (medai stack up), then back up or restore.'),
  },
  BACKUP_STACK_RESTART_FAILED: {
    message: text('{component} 的备份或恢复结束后，服务 {services} 未能恢复健康。数据未被删除。', 'After the backup or restore of {component}, the services {services} did not become healthy again. No data was deleted.'),
    remedy: text('查看这些服务的日志（medai stack logs <服务>），然后启动系统（medai stack start）；问题解决前向量检索不可用。', 'Read the logs of these services (medai stack logs <service>), then start the stack (medai stack start); vector search is unavailable until they run.'),
  },
  BACKUP_SCHEDULE_INVALID: {
    message: text('计划“{expression}”无效：{reason}。未做任何更改。', 'The schedule "{expression}" is not valid: {reason}. Nothing was changed.'),
    remedy: text('使用五段式 cron 表达式，例如每天 02:00 为“0 2 * * *”，每小时为“0 * * * *”。', 'Use a five-field cron expression, for example "0 2 * * *" for daily at 02:00 and "0 * * * *" for hourly.'),
  },
} as const;
