/**
 * Ticket statuses, shared by the ticket service and the evaluation that opens a ticket on
 * auto-quarantine. A test has at most one ticket in an open status: the partial unique index
 * `tickets_one_open_per_test` (migration 20261204200000_ticket_one_open) holds it in the database,
 * and every writer that can make a ticket open takes the test row's lock first and looks.
 */
export const TICKET_STATUSES = ['open', 'investigating', 'fixed', 'wontfix'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
/** Statuses of a ticket still being worked on: a test with one gets no other. */
export const OPEN_TICKET_STATUSES: readonly TicketStatus[] = ['open', 'investigating'];
export const isOpenTicketStatus = (s: string): boolean => (OPEN_TICKET_STATUSES as readonly string[]).includes(s);
