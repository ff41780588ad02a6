import type { FieldMessages } from '../../../contract/browser.js';

/**
 * Every text the widget shows, in English: the base every other language is checked against
 * (`Strings` is this shape). `{name}` slots are filled in; a page overrides any entry through
 * the `strings` property. The field messages (`fieldRequired`, …) mirror contract/browser.ts's
 * FIELD_MESSAGES, keyed the same (but for the GenericFieldMessage ones), so a server's English field message is shown translated.
 */
export const en = {
  loading: 'Loading the registration form…',
  loadFailed: 'The registration form could not be loaded.',
  retry: 'Try again',
  heading: 'Register for {conference}',
  closedTitle: 'Registration is closed',
  closed: 'Registration for {conference} is closed. Thank you for your interest.',
  laterTitle: 'Tickets are not on sale right now',
  later: 'Please come back later to register for {conference}.',
  laterOn: 'Tickets go on sale on {date}.',
  fullTitle: 'This event is full',
  full: 'All tickets for {conference} are taken.',
  requiredNote: 'Fields marked * are required.',
  firstName: 'First name',
  lastName: 'Last name',
  email: 'E-mail address',
  ticket: 'Ticket',
  free: 'Free',
  soldOut: 'Sold out',
  remaining: '{n} left',
  payment: 'Payment',
  paymentReference: 'Payment reference',
  paymentReferenceHint: 'The reference of your transfer, for example TXN-12345',
  paymentProofUrl: 'Link to your payment receipt',
  receipt: 'Payment receipt',
  receiptHint: 'PNG, JPEG or PDF, at most 5 MB',
  uploading: 'Uploading {file}…',
  uploaded: '{file} is attached.',
  receiptFile: 'Choose a PNG, JPEG or PDF file of at most 5 MB',
  receiptLink: 'This page cannot send files: paste a link to your receipt.',
  choose: 'Choose…',
  submit: 'Register',
  submitting: 'Sending your registration…',
  errorTitle: 'There is a problem',
  successTitle: 'You are registered',
  successThanks: 'Thank you, {name}. Your reference is',
  successTicket: 'Ticket: {ticket} ({price})',
  payTitle: 'How to pay',
  payReference: 'Please give your reference {reference} with your payment.',
  another: 'Register someone else',
  duplicate: '{name} ({email}) is already registered for this event.',
  eventFull: 'This event is full, so no more registrations can be taken.',
  ticketSoldOut: 'This ticket has just sold out. Please choose another one.',
  closedNow: 'Registration has closed, so we could not register you.',
  pricingClosed: 'Tickets are not on sale right now. Please try again later.',
  rateLimited: 'Too many attempts from your network. Please try again in {seconds} seconds.',
  timeout: 'The registration service did not answer in time. Your answers are kept: please try again.',
  network: 'We could not reach the registration service. Check your connection and try again: your answers are kept.',
  unavailable: 'Registration is not available right now. Please try again later.',
  unreachable: 'The registration service is not answering right now. Your answers are kept: please try again in a moment.',
  notAllowed: 'This website may not take registrations for this event.',
  notHere: 'You cannot register on this page, but you can on the form’s own page.',
  openForm: 'Open the registration form',
  tooLong: 'Your answers are too long to send over this connection. Please shorten them.',
  failed: 'Something went wrong. Please try again.',
  chooseTicket: 'Choose a ticket',
  choosePayment: 'Choose how you will pay',
  fieldRequired: 'This field is required',
  fieldUnknown: 'This question is no longer part of the form',
  fieldNumber: 'Enter a number',
  fieldMin: 'Enter {min} or more',
  fieldMax: 'Enter {max} or less',
  fieldChoice: 'Choose one of the options',
  fieldDate: 'Enter a date',
  fieldMinDate: 'Enter a date on or after {min}',
  fieldMaxDate: 'Enter a date on or before {max}',
  fieldTooLong: 'Use {max} characters or fewer',
  fieldEmail: 'Enter an e-mail address such as name@example.com',
  fieldUrl: 'Enter a web address that starts with https://',
  fieldFormat: 'Check the format of this answer',
} satisfies Record<string, string> & { [K in Exclude<keyof FieldMessages, GenericFieldMessage> as `field${Capitalize<K>}`]: string };

export type Strings = typeof en;

/**
 * Server field messages a visitor cannot cause with the form's own controls (a checkbox is
 * always a boolean, a text input holds one line, …): they share `fieldFormat` rather than
 * costing a text in every language.
 */
export type GenericFieldMessage = 'boolean' | 'list' | 'repeat' | 'text' | 'singleLine';
