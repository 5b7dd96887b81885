import { RollbackWizard } from './RollbackWizard';

/** Rollback to an earlier installed version, with or without its database. */
export function RollbackPage() {
  return <RollbackWizard />;
}
