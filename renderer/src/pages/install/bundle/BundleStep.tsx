import { FileSearchOutlined, FolderOpenOutlined, ImportOutlined, SafetyOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Flex, Input, Progress, Result, Space, Typography } from 'antd';
import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useFace } from '../../../api/api-context';
import { desktopBundlePicker } from '../../../api/electron-client';
import { ApiErrorView } from '../../../components/error/ApiErrorView';
import { OperationProgress } from '../../../components/progress/OperationProgress';
import type { OperationView } from '../../../components/progress/operation-view';
import { BundleImportResult, type ApiError, type BundleInspection } from '../../../contract';
import { ImageProgressList } from './ImageProgressList';
import { ManifestView } from './ManifestView';
import { uploadBundle } from './upload-bundle';

type Phase = 'choose' | 'inspected' | 'verifying' | 'verified' | 'verifyFailed' | 'importing' | 'imported' | 'importFailed';

/**
 * The first step of the Install and Upgrade wizards: choose the bundle file, read its
 * signed manifest, verify every byte with a progress bar, then import with progress per
 * image. A refusal says what is wrong and that nothing was changed.
 */
export function BundleStep({ onImported }: { onImported?: (result: BundleImportResult) => void }) {
  const { t } = useTranslation('bundle');
  const api = useApi();
  const face = useFace();
  const [path, setPath] = useState('');
  const [phase, setPhase] = useState<Phase>('choose');
  const [inspection, setInspection] = useState<BundleInspection | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const [verifyId, setVerifyId] = useState<string | undefined>();
  const [importId, setImportId] = useState<string | undefined>();
  const [allowDowngrade, setAllowDowngrade] = useState(false);
  const [imported, setImported] = useState<BundleImportResult | undefined>();

  const [upload, setUpload] = useState<{ name: string; sent: number; total: number } | undefined>();
  const fileInput = useRef<HTMLInputElement>(null);
  const pickBundleFile = face === 'electron' ? desktopBundlePicker() : undefined;

  const inspect = async (file = path.trim()) => {
    setBusy(true);
    setError(undefined);
    setInspection(undefined);
    setVerifyId(undefined);
    setImportId(undefined);
    const answer = await api.call('bundle.inspect', { path: file });
    setBusy(false);
    if (answer.ok) {
      setInspection(answer.result);
      setPhase('inspected');
    } else {
      setError(answer.error);
      setPhase('choose');
    }
  };

  // Web console: the file travels from this computer to the server first, then is read there.
  const uploadFile = async (file: File) => {
    setError(undefined);
    setInspection(undefined);
    setPhase('choose');
    setUpload({ name: file.name, sent: 0, total: file.size });
    const answer = await uploadBundle(file, (sent, total) => setUpload({ name: file.name, sent, total }));
    if (!answer.ok) {
      setUpload(undefined);
      setError(answer.error);
      return;
    }
    setUpload(undefined);
    setPath(answer.result.path);
    await inspect(answer.result.path);
  };

  const start = async (method: 'bundle.verify' | 'bundle.import') => {
    setBusy(true);
    setError(undefined);
    const answer = method === 'bundle.verify' ? await api.call(method, { path: path.trim() }) : await api.call(method, { path: path.trim(), force: allowDowngrade });
    setBusy(false);
    if (!answer.ok) {
      setError(answer.error);
      return;
    }
    if (method === 'bundle.verify') {
      setVerifyId(answer.result.operationId);
      setPhase('verifying');
    } else {
      setImportId(answer.result.operationId);
      setPhase('importing');
    }
  };

  const onVerified = useCallback((view: OperationView) => setPhase(view.phase === 'succeeded' ? 'verified' : 'verifyFailed'), []);
  const onImportEnded = useCallback(
    (view: OperationView) => {
      const result = BundleImportResult.safeParse(view.result);
      if (view.phase === 'succeeded' && result.success) {
        setImported(result.data);
        setPhase('imported');
        onImported?.(result.data);
      } else setPhase('importFailed');
    },
    [onImported],
  );

  const downgrade = inspection?.relation === 'downgrade';
  const canVerify = inspection && !busy && phase !== 'verifying' && phase !== 'importing' && phase !== 'imported';
  const canImport = inspection && !busy && (phase === 'verified' || phase === 'importFailed') && (!downgrade || allowDowngrade);

  return (
    <Flex vertical gap={16} data-testid="bundle-step" data-phase={phase}>
      <Card title={t('choose.title')}>
        <Typography.Paragraph type="secondary">{face === 'web' ? t('choose.hintWeb') : t('choose.hintDesktop')}</Typography.Paragraph>
        <Space.Compact style={{ width: '100%' }}>
          <Input
            value={path}
            onChange={(e) => setPath(e.target.value)}
            onPressEnter={() => path.trim() && void inspect()}
            placeholder={t('choose.placeholder')}
            data-testid="bundle-path"
            disabled={phase === 'verifying' || phase === 'importing'}
          />
          <Button type="primary" icon={<FileSearchOutlined />} loading={busy && !inspection} disabled={!path.trim() || phase === 'verifying' || phase === 'importing'} onClick={() => void inspect()} data-testid="bundle-inspect">
            {t('choose.read')}
          </Button>
          {pickBundleFile ? (
            <Button
              icon={<FolderOpenOutlined />}
              disabled={phase === 'verifying' || phase === 'importing'}
              onClick={() =>
                void pickBundleFile().then((picked) => {
                  if (!picked) return;
                  setPath(picked);
                  void inspect(picked);
                })
              }
              data-testid="bundle-browse"
            >
              {t('choose.browse')}
            </Button>
          ) : null}
        </Space.Compact>
        {face === 'web' ? (
          <Flex align="center" gap={12} wrap style={{ marginTop: 12 }}>
            <Typography.Text type="secondary">{t('choose.or')}</Typography.Text>
            <input
              ref={fileInput}
              type="file"
              accept=".medai-bundle"
              hidden
              data-testid="bundle-upload-input"
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (file) void uploadFile(file);
              }}
            />
            <Button icon={<UploadOutlined />} disabled={!!upload || phase === 'verifying' || phase === 'importing'} onClick={() => fileInput.current?.click()} data-testid="bundle-upload">
              {t('choose.upload')}
            </Button>
            {upload ? (
              <Flex align="center" gap={8} style={{ minWidth: 320 }} data-testid="bundle-upload-progress">
                <Typography.Text>{t('choose.uploading', { name: upload.name })}</Typography.Text>
                <Progress percent={upload.total ? Math.floor((upload.sent / upload.total) * 100) : 0} size="small" style={{ width: 160, margin: 0 }} />
              </Flex>
            ) : null}
          </Flex>
        ) : null}
        {error ? (
          <Flex vertical gap={8} style={{ marginTop: 16 }}>
            <ApiErrorView error={error} />
            <Alert type="info" showIcon data-testid="bundle-nothing-changed" title={t('nothingChanged')} />
          </Flex>
        ) : null}
      </Card>

      {inspection ? (
        <Card title={t('manifest.title')}>
          <ManifestView inspection={inspection} />
        </Card>
      ) : null}

      {inspection ? (
        <Card title={t('verify.title')}>
          <Typography.Paragraph type="secondary">{t('verify.hint')}</Typography.Paragraph>
          <Button icon={<SafetyOutlined />} disabled={!canVerify} onClick={() => void start('bundle.verify')} data-testid="bundle-verify">
            {t('verify.button')}
          </Button>
          {verifyId ? (
            <div style={{ marginTop: 16 }}>
              <OperationProgress key={verifyId} operationId={verifyId} onFinished={onVerified} />
            </div>
          ) : null}
          {phase === 'verifyFailed' ? <Alert style={{ marginTop: 12 }} type="info" showIcon data-testid="bundle-verify-nothing-changed" title={t('verify.failedNothingChanged')} /> : null}
          {phase === 'verified' || phase === 'importing' || phase === 'imported' || phase === 'importFailed' ? (
            <Alert style={{ marginTop: 12 }} type="success" showIcon data-testid="bundle-verified" title={t('verify.ok')} />
          ) : null}
        </Card>
      ) : null}

      {inspection && phase !== 'choose' && phase !== 'inspected' && phase !== 'verifying' && phase !== 'verifyFailed' ? (
        <Card title={t('import.title')}>
          {downgrade ? (
            <Checkbox checked={allowDowngrade} onChange={(e) => setAllowDowngrade(e.target.checked)} data-testid="bundle-allow-downgrade" style={{ marginBottom: 12 }}>
              {t('import.allowDowngrade', { installed: inspection.installedVersion ?? '' })}
            </Checkbox>
          ) : null}
          <div>
            <Button type="primary" icon={<ImportOutlined />} disabled={!canImport} onClick={() => void start('bundle.import')} data-testid="bundle-import">
              {t('import.button')}
            </Button>
          </div>
          {importId ? (
            <Flex vertical gap={16} style={{ marginTop: 16 }}>
              <ImageProgressList key={`images-${importId}`} operationId={importId} manifest={inspection.manifest} />
              <OperationProgress key={importId} operationId={importId} onFinished={onImportEnded} />
            </Flex>
          ) : null}
          {phase === 'importFailed' ? <Alert style={{ marginTop: 12 }} type="info" showIcon data-testid="bundle-import-nothing-changed" title={t('import.failedNothingChanged')} /> : null}
          {phase === 'imported' && imported ? (
            <Result
              status="success"
              data-testid="bundle-imported"
              title={t('import.done', { version: imported.bundleVersion })}
              subTitle={t('import.summary', { loaded: imported.loaded.length, skipped: imported.skipped.length })}
            />
          ) : null}
        </Card>
      ) : null}
    </Flex>
  );
}
