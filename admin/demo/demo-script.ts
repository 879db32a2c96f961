/** The tickets the demo files, one or more per scenario of the product brief. */
export interface DemoTicket {
  scenario: string;
  subject: string;
  priority?: 'low' | 'normal' | 'high' | 'urgent';
  org?: number;
  email?: string;
}

export const DEMO_ORGANIZATIONS = [
  { id: 1001, name: 'Acme (bought Product X)' },
  { id: 7001, name: 'Umbrella (80 licenses)', organization_fields: { licenses: 80 } },
  { id: 7100, name: 'Initrode (1,200 licenses)', organization_fields: { licenses: 1200 } },
  { id: 2001, name: 'Kaisha (Premium)' },
  { id: 2002, name: 'Shoten (Basic)' },
  { id: 4001, name: 'Globex (3 a month)' },
  { id: 5001, name: 'Tanaka (backup and security)' },
  { id: 9999, name: 'Nobody (no contract)' },
];

export const DEMO_TICKETS: DemoTicket[] = [
  { scenario: 'S1', subject: 'Product X: login fails after update', priority: 'high', org: 1001 },
  { scenario: 'S1', subject: '【製品Ｘ】ダッシュボードが表示されない', org: 1001 },
  { scenario: 'S2', subject: 'Sync stopped overnight', org: 7001 },
  { scenario: 'S2', subject: 'SSO configuration question', org: 7100 },
  { scenario: 'S3', subject: 'Invoice did not arrive', org: 2001 },
  { scenario: 'S3', subject: 'Password reset', org: 2002 },
  { scenario: 'S4', subject: 'Export to CSV', org: 4001 },
  { scenario: 'S4', subject: 'Import from Excel', org: 4001 },
  { scenario: 'S4', subject: 'Change the logo', org: 4001 },
  { scenario: 'S4', subject: 'One more question', org: 4001 },
  { scenario: 'S5', subject: 'Backup restore fails', org: 5001 },
  { scenario: 'S5', subject: 'Security alert on login', priority: 'high', org: 5001 },
  { scenario: 'S6', subject: 'Printer offline', email: 'pat@initech.example' },
  { scenario: 'S6', subject: 'VPN drops', email: 'pat@initech.example' },
  { scenario: 'S6', subject: 'New laptop', email: 'sam@initech.example' },
  { scenario: '—', subject: 'Hello, can you help?', org: 9999 },
];

/**
 * The Freshdesk and Help Scout tenants' tickets (docs/examples/tenants/demo-freshdesk.yaml and
 * demo-helpscout.yaml): a plan with an SLA (so dues), then a small plan's quota used up and
 * passed. The same story on both, told in each helpdesk's own fields.
 */
export interface VendorDemoTicket {
  scenario: string;
  subject: string;
  /** The organisation (Freshdesk company, Help Scout organisation) the customer belongs to. */
  org: number;
  priority?: 'low' | 'normal' | 'high' | 'urgent';
  /** Tags an agent had put on it before deskplan saw it (kept: deskplan touches only its own). */
  tags?: string[];
}

export const VENDOR_DEMO_ORGANIZATIONS = [
  { id: 1001, name: 'Acme (bought Product X)', domain: 'acme.example' },
  { id: 4001, name: 'Globex (Starter, 1 a month)', domain: 'globex.example' },
];

export const VENDOR_DEMO_TICKETS: VendorDemoTicket[] = [
  {
    scenario: 'plan + dues',
    subject: 'Product X: login fails after update',
    priority: 'high',
    org: 1001,
    tags: ['vip'],
  },
  { scenario: 'within quota', subject: 'Export to CSV', org: 4001 },
  { scenario: 'over quota', subject: 'One more question', priority: 'high', org: 4001 },
];
