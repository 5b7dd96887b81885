import { Card, Result } from 'antd';
import { useTranslation } from 'react-i18next';

/** An honest stand-in for a page whose capability has not arrived: says which one will bring it. */
export function CapabilityPlaceholder({ ns }: { ns: string }) {
  const { t } = useTranslation([ns, 'common']);
  return (
    <Card data-testid={`placeholder-${ns}`}>
      <Result status="info" title={t('common:placeholder.title')} subTitle={t(`${ns}:placeholder`)} />
    </Card>
  );
}
