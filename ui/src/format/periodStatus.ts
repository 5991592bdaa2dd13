/** How a period's approval status is named and coloured (an Atlaskit Lozenge appearance) wherever it shows. */
import type { PeriodStatus } from '../client/answers';

export const STATUS_LABELS: Record<PeriodStatus['status'], { label: string; appearance: 'default' | 'inprogress' | 'success' | 'removed' | 'moved' }> = {
  open: { label: 'Open', appearance: 'default' },
  submitted: { label: 'Submitted', appearance: 'inprogress' },
  approved: { label: 'Approved', appearance: 'success' },
  rejected: { label: 'Sent back', appearance: 'removed' },
  locked: { label: 'Locked', appearance: 'moved' },
};
