import type { Role } from '../shared/base/index.ts';

/**
 * A short English name per role, as it appears inside state names (`RemindAkimatDepartment`,
 * `EscalateToDeputyAkim`). The full names in kk, ru and en are in shared/base/roles.ts; these
 * only have to be readable in the Step Functions console and fit the 80 characters of a state
 * name. A new role fails the type check here until it has one.
 */
export const ROLE_SHORT_NAMES = {
  'akimat-department': 'AkimatDepartment',
  'akimat-department-head': 'DepartmentHead',
  'deputy-akim': 'DeputyAkim',
  inspector: 'Inspector',
  'unit-head': 'UnitHead',
  'regional-head': 'RegionalHead',
  'committee-head': 'CommitteeHead',
  'commission-secretary': 'Secretary',
  'commission-chair': 'CommissionChair',
  addressee: 'Addressee',
  'addressee-head': 'AddresseeHead',
  'shelter-head': 'ShelterHead',
} as const satisfies Record<Role, string>;

/** `['addressee-head', 'commission-secretary']` → `AddresseeHeadAndSecretary`. */
export function rolesInName(roles: readonly Role[]): string {
  return roles.map((role) => ROLE_SHORT_NAMES[role]).join('And');
}
