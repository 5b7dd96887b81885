import { text } from './i18n-text';

/**
 * Error codes of the stack capability (compose subset, reconciler, install / upgrade /
 * rollback). Spread into ERROR_CATALOG; kept here so the stack's codes live together.
 * Codes are stable: rename nothing, only add.
 */
export const STACK_ERRORS = {
  STACK_COMPOSE_UNSUPPORTED: {
    message: text('编排文件 {file} 第 {line} 行的 {key} 不受支持。未做任何更改。', 'The key {key} in {file} at line {line} is not supported. Nothing was changed.'),
    remedy: text('本程序只支持离线栈所用的编排子集（见操作手册“栈”一章）；删除或改写该键后重新制作离线包。', 'Only the compose subset the stack uses is supported (see the operations manual, "Stack"); remove or rewrite the key and build the bundle again.'),
  },
  STACK_COMPOSE_INVALID: {
    message: text('编排文件 {file} 第 {line} 行有误：{reason}。未做任何更改。', '{file} line {line} is not valid: {reason}. Nothing was changed.'),
    remedy: text('按提示修正编排文件后重新制作离线包。', 'Fix the compose file as described and build the bundle again.'),
  },
  STACK_COMPOSE_VARIABLE_MISSING: {
    message: text('编排文件 {file} 第 {line} 行引用的变量 {name} 没有值。未做任何更改。', 'The variable {name} used in {file} at line {line} has no value. Nothing was changed.'),
    remedy: text('在安装配置中填写该变量，或在 env.schema.json 中给出默认值。', 'Set the variable in the install configuration, or give it a default in env.schema.json.'),
  },
  STACK_PORT_IN_USE: {
    message: text('端口 {port}（{ip}）已被其他程序占用，服务 {service} 无法发布。已撤销本次创建的内容。', 'Port {port} on {ip} is already in use, so service {service} cannot publish it. What this run created was removed.'),
    remedy: text('用 ss -ltnp 查看占用者；停止它，或在配置中选择其他端口。', 'Find the owner with `ss -ltnp`; stop it, or choose another published port in the configuration.'),
  },
  STACK_IMAGE_MISSING: {
    message: text('Docker 中没有服务 {service} 所需的镜像 {ref}。未做任何更改。', 'The image {ref} that service {service} needs is not in the Docker engine. Nothing was changed.'),
    remedy: text('重新导入该版本的离线包（medai bundle import），它会载入全部镜像。', 'Import the bundle of this version again (medai bundle import); it loads every image.'),
  },
  STACK_VOLUME_FOREIGN: {
    message: text('数据卷 {volume} 属于另一个项目 {owner}，不能被栈 {project} 使用。未做任何更改。', 'The volume {volume} belongs to another project ({owner}) and cannot be used by stack {project}. Nothing was changed.'),
    remedy: text('确认该卷中的数据是否仍需要；如需安装新栈，请使用其他栈名称。绝不自动删除他人的卷。', 'Check whether the data in that volume is still needed; to install alongside it, use another stack name. Volumes of others are never removed automatically.'),
  },
  STACK_HEALTH_TIMEOUT: {
    message: text('服务 {service} 在 {seconds} 秒内没有变为健康状态。', 'Service {service} did not become healthy within {seconds} s.'),
    remedy: text('查看该服务的日志（medai stack logs {service}）；常见原因：依赖未就绪、配置错误、资源不足。', 'Read its log (medai stack logs {service}); usual causes: a dependency not ready, wrong configuration, too little memory.'),
  },
  STACK_CONTAINER_EXITED: {
    message: text('服务 {service} 启动后退出（退出码 {exitCode}）。', 'Service {service} exited after starting (exit code {exitCode}).'),
    remedy: text('查看该服务的日志（medai stack logs {service}）找出原因。', 'Read its log (medai stack logs {service}) to see why.'),
  },
  STACK_DEPENDENCY_CYCLE: {
    message: text('编排文件中的 depends_on 形成循环：{cycle}。未做任何更改。', 'depends_on in the compose file forms a cycle: {cycle}. Nothing was changed.'),
    remedy: text('修正服务之间的依赖关系后重新制作离线包。', 'Fix the dependencies between the services and build the bundle again.'),
  },
  STACK_NOT_INSTALLED: {
    message: text('栈 {stack} 尚未安装。', 'The stack {stack} is not installed.'),
    remedy: text('先安装：medai stack install --bundle <版本>。', 'Install it first: medai stack install --bundle <version>.'),
  },
  STACK_ALREADY_INSTALLED: {
    message: text('栈 {stack} 已安装（版本 {version}）。未做任何更改。', 'The stack {stack} is already installed (version {version}). Nothing was changed.'),
    remedy: text('要更换版本请使用升级（medai stack upgrade）或回滚（medai stack rollback）。', 'To change versions use upgrade (medai stack upgrade) or rollback (medai stack rollback).'),
  },
  STACK_BUNDLE_NOT_IMPORTED: {
    message: text('没有导入版本为 {version} 的离线包。未做任何更改。', 'No bundle of version {version} has been imported. Nothing was changed.'),
    remedy: text('先导入离线包：medai bundle import <文件>。', 'Import the bundle first: medai bundle import <file>.'),
  },
  STACK_VERSION_UNAVAILABLE: {
    message: text('无法回滚到版本 {version}：{reason}。未做任何更改。', 'Cannot roll back to version {version}: {reason}. Nothing was changed.'),
    remedy: text('用 medai stack history 查看可回滚的版本；镜像已被删除时，重新导入该版本的离线包。', 'List versions you can roll back to with `medai stack history`; if its images were removed, import that version\'s bundle again.'),
  },
  STACK_OPERATION_OPEN: {
    message: text('栈 {stack} 有一个未完成的操作 {operation}（{kind}，中断于步骤 {step}）。', 'The stack {stack} has an unfinished operation {operation} ({kind}, stopped at step {step}).'),
    remedy: text('先处理它：medai stack recover --resume 继续，或 --rollback 回到原版本。', 'Deal with it first: `medai stack recover --resume` to finish it, or `--rollback` to return to the previous version.'),
  },
  STACK_NOTHING_TO_RECOVER: {
    message: text('栈 {stack} 没有未完成的操作。', 'The stack {stack} has no unfinished operation.'),
    remedy: text('无需处理。', 'Nothing to do.'),
  },
  STACK_HOST_CHECK_FAILED: {
    message: text('主机检查未通过：{failures}。未做任何更改。', 'The host check failed: {failures}. Nothing was changed.'),
    remedy: text('按检查结果修正主机；确需继续时使用 --override-host-check "<原因>"（原因会写入日志）。', 'Fix the host as the check says; to continue anyway use --override-host-check "<reason>" (the reason is logged).'),
  },
  STACK_ENDPOINT_UNHEALTHY: {
    message: text('服务地址 {url} 没有正常响应（{status}）。', 'The service address {url} did not answer as expected ({status}).'),
    remedy: text('查看服务日志（medai stack logs）；确认发布端口未被防火墙拦截。', 'Read the service log (medai stack logs); check that no firewall blocks the published port.'),
  },
  STACK_MIGRATION_FAILED: {
    message: text('数据库迁移失败（服务 {service}，退出码 {exitCode}）。', 'The database migration failed (service {service}, exit code {exitCode}).'),
    remedy: text('详细信息包含迁移输出；升级时系统已自动回滚并恢复数据库。', 'The detail holds the migration output; during an upgrade the stack was rolled back and the database restored automatically.'),
  },
  STACK_MODELS_COPY_FAILED: {
    message: text('无法把离线包中的模型文件放入模型数据卷（退出码 {exitCode}）。', 'The model files of the bundle could not be placed in the models volume (exit code {exitCode}).'),
    remedy: text('检查数据目录所在磁盘的可用空间；详细信息包含复制输出。重新运行安装会从该步骤继续。', 'Check free space on the disk of the data directory; the detail holds the copy output. Running the install again resumes from this step.'),
  },
  STACK_BACKUP_FAILED: {
    message: text('升级前的安全备份失败：{reason}。未做任何更改。', 'The pre-upgrade safety backup failed: {reason}. Nothing was changed.'),
    remedy: text('检查数据目录的磁盘空间与数据库状态（medai stack status）后重试。', 'Check free disk space in the data directory and the database state (medai stack status), then retry.'),
  },
  STACK_UPGRADE_ROLLED_BACK: {
    message: text('升级到 {to} 在步骤 {step} 失败，已自动回滚到 {from}。', 'The upgrade to {to} failed at step {step} and was rolled back to {from} automatically.'),
    remedy: text('系统仍在原版本运行；如果迁移已执行，数据库已从升级前的安全备份恢复（详见报告）。查看服务日志，把诊断包发给厂商。', 'The stack runs the previous version; if a migration had run, the database was restored from the pre-upgrade safety backup (see the report). Read the service log and send a diagnostics bundle to the vendor.'),
  },
  STACK_CONFIRMATION_MISMATCH: {
    message: text('输入的名称与栈名称 {stack} 不一致，已取消。', 'The typed name does not match the stack name {stack}; cancelled.'),
    remedy: text('准确输入栈名称以确认此操作。', 'Type the stack name exactly to confirm.'),
  },
} as const;
