/**
 * The example requests and responses of the Mail API integration guide
 * (/work/shared/seeds/001_1ec2c54775fff652.txt), written out as they appear there. Tests compare the
 * door's answers with these field by field.
 */

export const SEND_REQUEST = {
  from: 'sender@yourdomain.com',
  to: ['recipient@example.com'],
  cc: ['cc@example.com'],
  bcc: ['bcc@example.com'],
  subject: 'Hello from API',
  body: { text: 'Plain text version of the email', html: '<h1>HTML version</h1><p>This is the HTML body.</p>' },
  reply_to: 'replyto@yourdomain.com',
  headers: { 'X-Custom-Header': 'custom-value' },
  attachments: [{ filename: 'document.pdf', content: 'base64-encoded-content-here', content_type: 'application/pdf' }],
};

export const SEND_RESPONSE = { success: true, message_id: '550e8400-e29b-41d4-a716-446655440000', status: 'submitted', queue_id: '4f0Bn53bY2z6v2j', recipient_count: 3 };

export const STATUS_RESPONSE = {
  success: true,
  message_id: '550e8400-e29b-41d4-a716-446655440000',
  status: 'sent',
  created_at: '2024-01-27T10:30:00Z',
  submitted_at: '2024-01-27T10:30:01Z',
  recipients: [
    { email: 'recipient1@example.com', type: 'to', status: 'sent', dsn_code: '2.0.0', delivered_at: '2024-01-27T10:30:05Z' },
    { email: 'recipient2@example.com', type: 'to', status: 'bounced', dsn_code: '5.1.1', smtp_response: 'Mailbox not found' },
  ],
};

export const SENT_RESPONSE = {
  success: true,
  total: 150,
  messages: [
    {
      message_id: '550e8400-e29b-41d4-a716-446655440000',
      from: 'sender@yourdomain.com',
      to: ['recipient@example.com'],
      subject: 'Hello',
      status: 'sent',
      created_at: '2024-01-27T10:30:00Z',
      submitted_at: '2024-01-27T10:30:01Z',
    },
  ],
};

export const FOLDERS_RESPONSE = {
  success: true,
  mailbox: 'user@yourdomain.com',
  folders: [
    { name: 'INBOX', messages: 150, unread: 12, size: 52428800 },
    { name: 'Sent', messages: 89, unread: 0, size: 15728640 },
    { name: 'Drafts', messages: 3, unread: 0, size: 102400 },
    { name: 'Trash', messages: 45, unread: 0, size: 8388608 },
    { name: 'Spam', messages: 23, unread: 23, size: 2097152 },
  ],
};

export const MESSAGES_RESPONSE = {
  success: true,
  mailbox: 'user@yourdomain.com',
  folder: 'INBOX',
  total: 150,
  messages: [
    {
      uid: 1234,
      message_id: '<abc123@example.com>',
      from: { name: 'John Doe', email: 'john@example.com' },
      to: [{ name: 'User', email: 'user@yourdomain.com' }],
      subject: 'Meeting tomorrow',
      date: '2024-01-27T10:30:00Z',
      size: 15360,
      flags: ['\\Seen'],
      has_attachments: true,
    },
  ],
};

export const MESSAGE_RESPONSE = {
  success: true,
  uid: 1234,
  message_id: '<abc123@example.com>',
  from: { name: 'John Doe', email: 'john@example.com' },
  to: [{ name: 'User', email: 'user@yourdomain.com' }],
  cc: [],
  subject: 'Meeting tomorrow',
  date: '2024-01-27T10:30:00Z',
  headers: { 'X-Priority': '1', 'Reply-To': 'john@example.com' },
  body: { text: 'Plain text content of the email...', html: '<html><body><p>HTML content...</p></body></html>' },
  attachments: [{ index: 0, filename: 'agenda.pdf', content_type: 'application/pdf', size: 102400, content_id: null }],
  flags: ['\\Seen'],
};

export const SEARCH_RESPONSE = {
  success: true,
  query: 'meeting',
  total: 23,
  messages: [
    { uid: 1234, folder: 'INBOX', from: { name: 'John', email: 'john@example.com' }, subject: 'Meeting tomorrow', date: '2024-01-27T10:30:00Z', snippet: '...discuss the meeting agenda...' },
  ],
};

export const DELIVERY_STATS_RESPONSE = {
  success: true,
  period: { start: '2024-01-20T00:00:00Z', end: '2024-01-27T23:59:59Z' },
  summary: { total_sent: 1250, delivered: 1180, bounced: 45, deferred: 20, rejected: 5, delivery_rate: 94.4 },
  breakdown: [
    { date: '2024-01-27', sent: 180, delivered: 172, bounced: 6, deferred: 2 },
    { date: '2024-01-26', sent: 165, delivered: 158, bounced: 5, deferred: 2 },
  ],
};

export const DOMAIN_STATS_RESPONSE = {
  success: true,
  domain: 'yourdomain.com',
  period: { start: '2024-01-20T00:00:00Z', end: '2024-01-27T23:59:59Z' },
  outbound: {
    total: 450,
    delivered: 430,
    bounced: 15,
    deferred: 5,
    top_recipients: [
      { domain: 'gmail.com', count: 120 },
      { domain: 'outlook.com', count: 85 },
    ],
  },
  inbound: { total: 320, accepted: 310, rejected: 10, spam: 15, top_senders: [{ domain: 'gmail.com', count: 95 }] },
};

export const TOKEN_RESPONSE = {
  id: 1,
  token_prefix: 'Bxe2GOed',
  token_type: 'admin',
  email: null,
  name: 'My API Token',
  is_active: true,
  created_at: '2024-01-27T10:00:00Z',
  last_used_at: '2024-01-27T15:30:00Z',
  expires_at: null,
};

export const SIGNUP_REQUEST = { domain: 'yourdomain.com', email: 'admin@yourdomain.com', password: 'SecurePassword123', name: 'Your Name' };

export const SIGNUP_RESPONSE = {
  success: true,
  token: 'session-token-here',
  token_type: 'user',
  email: 'admin@yourdomain.com',
  name: 'Your Name',
  domain: 'yourdomain.com',
  domain_status: 'pending',
  expires_at: '2026-02-15T22:00:00Z',
  message: "Account created! Your domain 'yourdomain.com' is pending admin approval.",
};

export const BULK_REQUEST = { email: 'user@domain.com', permissions: ['manage_users', 'manage_domains', 'view_mailbox', 'view_stats', 'send_mail'], domain: 'domain.com' };

export const BULK_RESPONSE = {
  success: true,
  message: 'Granted 4 permissions, skipped 1 already existing',
  granted: ['manage_users', 'view_mailbox', 'view_stats', 'send_mail'],
  skipped: ['manage_domains'],
};

export const PENDING_RESPONSE = {
  success: true,
  total: 2,
  domains: [{ domain: 'newdomain.com', active: false, created: '2026-02-15T10:00:00Z', creator_email: 'admin@newdomain.com' }],
};

export const APPROVE_RESPONSE = { success: true, message: 'Domain newdomain.com has been approved and activated', domain: 'newdomain.com', active: true };

/** The guide's error table: code → HTTP status. */
export const ERROR_CODES = {
  NO_API_TOKEN: 401,
  INVALID_TOKEN: 401,
  TOKEN_EXPIRED: 401,
  ACCESS_DENIED: 403,
  DOMAIN_NOT_ALLOWED: 403,
  SENDER_NOT_AUTHORIZED: 403,
  MAILBOX_NOT_FOUND: 404,
  MESSAGE_NOT_FOUND: 404,
  INVALID_FOLDER: 400,
  SEND_FAILED: 500,
} as const;
