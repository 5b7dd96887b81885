import { text } from './i18n-text';

/**
 * Error codes of the inference-service capability (status of the running service, API keys
 * through the service container's CLI). Spread into ERROR_CATALOG. Codes are stable.
 */
export const SERVICE_ERRORS = {
  SERVICE_UNREACHABLE: {
    message: text('无法连接推理服务 {url}：{reason}。', 'The inference service at {url} cannot be reached: {reason}.'),
    remedy: text('确认栈已启动（medai stack status）且地址端口正确；查看服务日志（medai stack logs medical-ai-service）。', 'Check that the stack runs (medai stack status) and the address and port are right; read the service log (medai stack logs medical-ai-service).'),
  },
  SERVICE_KEY_REJECTED: {
    message: text('推理服务拒绝了所给的 API 密钥（读取指标需要有效密钥）。', 'The inference service refused the API key given (reading metrics needs a valid key).'),
    remedy: text('创建新的密钥（medai service keys create <名称>）后重试。', 'Create a key (medai service keys create <name>) and try again.'),
  },
  SERVICE_MANAGED_KEY_REFUSED: {
    message: text('推理服务拒绝了管理程序为 {container} 保存的指标密钥（已被吊销，或服务数据库已更换），因此暂时无法显示请求指标；就绪状态不受影响。', 'The inference service refused the metrics key the manager holds for {container} (it was revoked, or the service database was replaced), so request figures are not shown; readiness is still reported.'),
    remedy: text('在总览页的推理服务卡片中点击“让管理程序读取指标”，或运行 medai service metrics-key enable --container {container}，以创建新的密钥替换它。', 'Click “Let the manager read the figures” on the Dashboard service card, or run medai service metrics-key enable --container {container}, to replace it with a new key.'),
  },
  SERVICE_CONTAINER_NOT_FOUND: {
    message: text('找不到推理服务容器 {container}。', 'The inference service container {container} does not exist.'),
    remedy: text('确认栈已安装并运行（medai stack status），或用 --container 指定容器名。', 'Check that the stack is installed and running (medai stack status), or name the container with --container.'),
  },
  SERVICE_CLI_FAILED: {
    message: text('推理服务容器中的命令 {command} 失败：{reason}', 'The command {command} in the inference service container failed: {reason}'),
    remedy: text('查看 /ready 与服务日志；数据库不可用时无法管理密钥或执行迁移。', 'Look at /ready and the service log; keys and migrations need the database to be reachable.'),
  },
} as const;
