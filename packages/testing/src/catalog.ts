import type { LifecycleTaskCategory, LifecycleWorkflowCategory, WorkflowExecutionTrigger } from '@idgov/types';

// Realistic but invented people and organisation data for fixtures.
export const givenNames = [
  'Adele', 'Alex', 'Amara', 'Ben', 'Carlos', 'Chen', 'Dana', 'Diego', 'Elif', 'Emma', 'Fatima', 'Grace', 'Hiro', 'Ines',
  'Isaac', 'Jonas', 'Kavya', 'Lars', 'Lea', 'Lidia', 'Lynne', 'Mateo', 'Megan', 'Miriam', 'Nestor', 'Noah', 'Olga',
  'Omar', 'Patti', 'Pradeep', 'Priya', 'Rafael', 'Sakura', 'Sofia', 'Tomás', 'Uma', 'Wei', 'Yara', 'Zoe', 'Aisling',
] as const;

export const surnames = [
  'Vance', 'Wilber', 'Okafor', 'Andersen', 'Gupta', 'Müller', 'Kowalski', 'Nakamura', "O'Brien", 'Silva', 'Haddad',
  'Johansson', 'Rossi', 'Petrov', 'Nguyen', 'García', 'Dubois', 'Kim', 'Fischer', 'Mensah', 'Costa', 'Ibrahim', 'Larsen',
  'Sato', 'Novak', 'Moreau', 'Varga', 'Lindqvist', 'Hughes', 'Bianchi', 'Sørensen', 'Cohen', 'Adeyemi', 'Reyes',
] as const;

export const departments = ['Sales', 'Marketing', 'Engineering', 'Finance', 'Human Resources', 'Legal', 'Operations', 'Support'] as const;

export const jobTitles = ['Account Executive', 'Marketing Specialist', 'Software Engineer', 'Financial Analyst', 'HR Partner', 'Counsel', 'Operations Manager', 'Support Engineer'] as const;

export const cities = ['Seattle', 'Dublin', 'Berlin', 'Tokyo', 'São Paulo', 'Lagos', 'Sydney', 'Toronto'] as const;

/** One built-in task definition, with the ids Microsoft documents for them. */
export interface TaskDefinitionSpec {
  readonly id: string;
  readonly displayName: string;
  readonly description: string;
  readonly category: LifecycleTaskCategory;
  readonly parameters: readonly { readonly name: string; readonly values: readonly string[]; readonly valueType: 'string' | 'bool' | 'enum' | 'int' }[];
  /** Why a run of this task fails, in the service's words. */
  readonly failureReason: string;
}

export const taskDefinitionSpecs: readonly TaskDefinitionSpec[] = [
  { id: '6fc52c9d-398b-4305-9763-15f42c1676fc', displayName: 'Enable User Account', description: 'Enable user account in the directory', category: 'joiner,leaver', parameters: [], failureReason: 'The user account could not be enabled: the account is synchronized from on-premises Active Directory.' },
  { id: '1b555e50-7f65-41d5-b514-5894a026d10d', displayName: 'Generate TAP And Send Email', description: 'Generate Temporary Access Pass and send via email to user manager', category: 'joiner', parameters: [{ name: 'tapLifetimeMinutes', values: [], valueType: 'int' }, { name: 'tapIsUsableOnce', values: ['true', 'false'], valueType: 'bool' }], failureReason: "The Temporary Access Pass could not be sent: the user's manager was not found." },
  { id: '70b29d51-b59a-4773-9280-8841dfd3f2ea', displayName: 'Send Welcome Email', description: 'Send welcome email to new hire', category: 'joiner', parameters: [], failureReason: 'The welcome email could not be sent: the user has no mailbox.' },
  { id: '22085229-5809-45e8-97fd-270d28d66910', displayName: 'Add user to groups', description: 'Add user to selected groups', category: 'joiner,leaver,mover', parameters: [{ name: 'groupID', values: [], valueType: 'string' }], failureReason: 'Insufficient privileges to add the user to the group.' },
  { id: '1953a66c-751c-45e5-8bfe-01462c70da3c', displayName: 'Remove user from selected groups', description: 'Remove user from membership of selected Azure AD groups', category: 'joiner,leaver,mover', parameters: [{ name: 'groupID', values: [], valueType: 'string' }], failureReason: 'The group is a dynamic membership group; its members cannot be removed.' },
  { id: 'aab41899-9972-422a-9d97-f626014578b7', displayName: 'Send email to notify manager of user move', description: "Send email to notify user's manager of user move", category: 'mover', parameters: [], failureReason: "The email could not be sent: the user's manager was not found." },
  { id: '1dfdfcc7-52fa-4c2e-bf3a-e3919cc12950', displayName: 'Disable User Account', description: 'Disable user account in the directory', category: 'joiner,leaver', parameters: [], failureReason: 'The user account could not be disabled: the account is a protected administrator.' },
  { id: 'b3a31406-2a15-4c9a-b25b-a658fa5f07fc', displayName: 'Remove user from all groups', description: 'Remove user from all Azure AD groups memberships', category: 'leaver', parameters: [], failureReason: 'The user could not be removed from a role-assignable group.' },
  { id: '81f7b200-2816-4b3b-8c5d-dc556f07b024', displayName: 'Remove user from all Teams', description: 'Remove user from all Teams memberships', category: 'leaver', parameters: [], failureReason: 'The user is the last owner of a team and cannot be removed.' },
  { id: '8fa97d28-3e52-4985-b3a9-a1126f9b8b4e', displayName: 'Remove all licenses for user', description: 'Remove all licenses assigned to the user', category: 'leaver', parameters: [], failureReason: 'A license assigned through a group cannot be removed directly.' },
  { id: '8d18588d-9ad3-4c0f-99d0-ec215f0e3dff', displayName: 'Delete User Account', description: 'Delete user account in Azure AD', category: 'leaver', parameters: [], failureReason: 'The user account could not be deleted: insufficient privileges.' },
];

/** The shape of a typical workflow of each category, with its task definitions in order. */
export interface WorkflowBlueprint {
  readonly category: LifecycleWorkflowCategory;
  readonly displayName: string;
  readonly description: string;
  readonly taskDefinitionIds: readonly string[];
  readonly trigger: WorkflowExecutionTrigger;
}

const onboardingTrigger: WorkflowExecutionTrigger = { '@odata.type': '#microsoft.graph.identityGovernance.timeBasedAttributeTrigger', timeBasedAttribute: 'employeeHireDate', offsetInDays: 0 };
const leaveTrigger: WorkflowExecutionTrigger = { '@odata.type': '#microsoft.graph.identityGovernance.timeBasedAttributeTrigger', timeBasedAttribute: 'employeeLeaveDateTime', offsetInDays: 0 };
const moveTrigger: WorkflowExecutionTrigger = { '@odata.type': '#microsoft.graph.identityGovernance.attributeChangeTrigger', triggerAttributes: [{ name: 'department' }] };

export const workflowBlueprints: readonly WorkflowBlueprint[] = [
  { category: 'joiner', displayName: 'Onboard new hire employee', description: 'Configure new hire tasks for onboarding employees on their first day', taskDefinitionIds: ['6fc52c9d-398b-4305-9763-15f42c1676fc', '1b555e50-7f65-41d5-b514-5894a026d10d', '70b29d51-b59a-4773-9280-8841dfd3f2ea', '22085229-5809-45e8-97fd-270d28d66910'], trigger: onboardingTrigger },
  { category: 'mover', displayName: 'Real-time employee change', description: 'Update group memberships and notify the manager when an employee changes department', taskDefinitionIds: ['1953a66c-751c-45e5-8bfe-01462c70da3c', '22085229-5809-45e8-97fd-270d28d66910', 'aab41899-9972-422a-9d97-f626014578b7'], trigger: moveTrigger },
  { category: 'leaver', displayName: 'Offboard an employee', description: 'Execute offboarding tasks for employees on their last day of work', taskDefinitionIds: ['1dfdfcc7-52fa-4c2e-bf3a-e3919cc12950', 'b3a31406-2a15-4c9a-b25b-a658fa5f07fc', '81f7b200-2816-4b3b-8c5d-dc556f07b024', '8fa97d28-3e52-4985-b3a9-a1126f9b8b4e', '8d18588d-9ad3-4c0f-99d0-ec215f0e3dff'], trigger: leaveTrigger },
];
