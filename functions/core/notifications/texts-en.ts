import type { TemplateId } from '../../../schemas/notifications.ts';
import type { BuiltInChat, BuiltInText } from './built-in.ts';

/*
 * The English built-in texts. Same tone as the Chinese: the customer's name, an apology where the
 * shop (or its carrier) let them down, the next step and when, and a reminder to check a parcel on
 * delivery with what to do if something is wrong. SMS use straight quotes and no dashes or other
 * characters outside GSM-7 (one of them would halve what fits in a segment); the shop's name is put
 * in front when sending, and marketing texts end with {{unsubscribe}} (Reply STOP to opt out).
 */

/** The SMS opening: "Hi Li Lei, your ..." with a name, "Your ..." without. */
const hi = (word: string) =>
  `{{#if name}}Hi {{name}}, ${word}{{else}}${word[0]!.toUpperCase()}${word.slice(1)}{{/if}}`;
const parcel = '{{#if carrier}}{{carrier}} {{/if}}{{trackingNumber}}';
const track = { link: 'trackingUrl', label: 'Track your parcel' };
const portal = { link: 'portalUrl', label: 'See your request' };

/** Return parcels (silent: the case's own notices tell the customer; kept for the record and as a starting point). */
const returnParcel = (subject: string, line: string, sms: string): BuiltInText => ({
  subject,
  body: [`Your return parcel (${parcel}) ${line}`, track],
  sms: `${hi('your')} return parcel {{trackingNumber}} ${sms}`,
});

export const EN_TEXTS: Record<Exclude<TemplateId, `staff.${string}`>, BuiltInText> = {
  'order.confirmed': {
    subject: 'Your order {{orderNumber}} is confirmed',
    body: [
      'Thank you for shopping with {{shopName}}! Your order {{orderNumber}} is confirmed{{#if total}} ({{total}}){{/if}}.',
      "We'll pack it soon and send you the tracking number as soon as it ships.",
    ],
    sms: `${hi('your')} order {{orderNumber}} is confirmed. We'll send the tracking number once it ships.`,
  },
  'order.payment_reminder': {
    subject: 'Your order {{orderNumber}} is waiting for payment',
    body: [
      "Your order {{orderNumber}}{{#if total}} ({{total}}){{/if}} at {{shopName}} hasn't been paid yet. We're holding the items for you.",
      "If something went wrong at checkout, just reply to this email and we'll help. If you've changed your mind, you can ignore this message.",
    ],
    sms: `${hi('your')} order {{orderNumber}} is waiting for payment. We're holding your items. Trouble paying? Contact us.`,
  },
  'order.refunded': {
    subject: 'Your refund of {{amount}} is on its way',
    body: [
      "We've refunded {{amount}}{{#if orderNumber}} for order {{orderNumber}}{{/if}}. It goes back to the way you paid.",
      "Your bank or payment provider decides when it shows up; if it hasn't arrived within 7 business days, please contact us and we'll look into it.",
    ],
    sms: `${hi('your')} refund of {{amount}}{{#if orderNumber}} for order {{orderNumber}}{{/if}} has been sent to the way you paid.`,
  },

  'shipment.shipped': {
    subject: 'Your parcel is on its way: {{trackingNumber}}',
    body: [
      'Good news: your order{{#if orderNumber}} {{orderNumber}}{{/if}} has shipped{{#if carrier}} with {{carrier}}{{/if}}{{#if shippedAt}} on {{shippedAt}}{{/if}}. Tracking number: {{trackingNumber}}.',
      { if: 'expectedDelivery', p: 'Expected delivery: {{expectedDelivery}}.' },
      track,
      "When it arrives, please look the package over before you sign for it: if it's clearly damaged, you can refuse it and let us know.",
    ],
    sms: `${hi('your')} parcel has shipped{{#if carrier}} with {{carrier}}{{/if}}, tracking {{trackingNumber}}{{#if expectedDelivery}}, expected {{expectedDelivery}}{{/if}}.`,
  },
  'shipment.out_for_delivery': {
    subject: 'Your parcel is out for delivery',
    body: [
      `Your parcel (${parcel}) is out for delivery{{#if expectedDelivery}} and should arrive {{expectedDelivery}}{{/if}}.`,
      "Please check the package and its contents when it's handed over: if anything is damaged or missing, you can refuse it and contact us.",
      track,
    ],
    sms: `${hi('your')} parcel {{trackingNumber}} is out for delivery. Please check it on arrival; if it's damaged, refuse it and contact us.`,
  },
  'shipment.available_for_pickup': {
    subject: 'Your parcel is ready for pickup',
    body: [
      `Your parcel (${parcel}) is waiting for you at {{#if pickupPoint}}{{pickupPoint}}{{else}}a pickup point{{/if}}.{{#if pickupCode}} Pickup code: {{pickupCode}}.{{/if}}`,
      'Please collect it soon: parcels left too long may be sent back. Check it when you pick it up; if anything is damaged or missing, take a photo and contact us.',
      track,
    ],
    sms: `${hi('your')} parcel {{trackingNumber}} is ready for pickup{{#if pickupPoint}} at {{pickupPoint}}{{/if}}{{#if pickupCode}}, code {{pickupCode}}{{/if}}. Please check it when you collect it.`,
  },
  'shipment.failed_attempt': {
    subject: "We couldn't deliver your parcel",
    body: [
      `The carrier tried to deliver your parcel (${parcel}) but couldn't.`,
      { if: 'lastMessage', p: 'Latest update: {{lastMessage}}' },
      'They usually try again; you can also contact them to arrange a time or a pickup. If the address needs changing, please contact us as soon as possible.',
      track,
    ],
    sms: `${hi('your')} parcel {{trackingNumber}} couldn't be delivered. The carrier usually tries again. Address wrong? Contact us.`,
  },
  'shipment.delivered': {
    subject: 'Your parcel has arrived: please check it',
    body: [
      `Your parcel (${parcel}) was delivered{{#if deliveredAt}} on {{deliveredAt}}{{/if}}{{#if signedBy}} and signed for by {{signedBy}}{{/if}}.`,
      "Please open it soon and check that everything is there and undamaged. If anything is damaged, missing or wrong, keep the packaging, take photos and request an after-sale service; we'll sort it out quickly.",
      { link: 'portalUrl', label: 'Report a problem' },
      "If you haven't received it, please contact us right away and we'll check with the carrier.",
      'Thank you for shopping with us!',
    ],
    sms: `${hi('your')} parcel {{trackingNumber}} was delivered. Please check it now: if anything is damaged, missing or wrong, take photos and contact us.`,
  },
  'shipment.delivered_elsewhere': {
    subject: 'Your parcel {{#if deliveredTo}}{{deliveredTo}}{{else}}was delivered{{/if}}',
    body: [
      `Your parcel (${parcel}) {{#if deliveredTo}}{{deliveredTo}}{{else}}was delivered{{/if}}{{#if signedBy}} ({{signedBy}}){{/if}}{{#if pickupPoint}}: {{pickupPoint}}{{/if}}.{{#if pickupCode}} Pickup code: {{pickupCode}}.{{/if}}`,
      'Please collect it soon and check it: if anything is damaged, missing or wrong, take photos and request an after-sale service.',
      { link: 'portalUrl', label: 'Report a problem' },
      "Can't find it? Please contact us right away and we'll check with the carrier.",
    ],
    sms: `${hi('your')} parcel {{trackingNumber}} {{#if deliveredTo}}{{deliveredTo}}{{else}}was delivered{{/if}}{{#if pickupCode}}, code {{pickupCode}}{{/if}}. Please check it; can't find it? Contact us.`,
  },
  'shipment.exception': {
    subject: "We're sorry: there's a problem with your parcel",
    body: [
      `We're sorry: your parcel (${parcel}) ran into a problem on its way{{#if providerStatus}} ({{providerStatus}}){{/if}}.`,
      "{{#if nextStep}}{{nextStep}}{{else}}We're checking with the carrier and will let you know as soon as there's news.{{/if}}",
      'Thank you for your patience.',
      track,
    ],
    sms: `${hi('your')} parcel {{trackingNumber}} has a delivery problem, sorry. {{#if nextStep}}{{nextStep}}{{else}}We're checking and will update you.{{/if}}`,
  },
  'shipment.returning': {
    subject: 'Your parcel is being returned to us',
    body: [
      `We're sorry: your parcel (${parcel}) couldn't be delivered and the carrier is bringing it back to us{{#if providerStatus}} ({{providerStatus}}){{/if}}.`,
      "Once it's back, we'll contact you to send it again or refund you. If you still want it, or the address needs correcting, please contact us.",
    ],
    sms: `${hi('your')} parcel {{trackingNumber}} couldn't be delivered and is coming back to us, sorry. We'll contact you to resend or refund.`,
  },
  'shipment.returned': {
    subject: "Your parcel came back to us: we'll be in touch",
    body: [
      `We're sorry: your parcel (${parcel}) couldn't be delivered and has been returned to us.`,
      "We'll contact you within 24 hours to send it again or refund you, whichever you prefer.",
    ],
    sms: `${hi('your')} parcel {{trackingNumber}} couldn't be delivered and came back to us, sorry. We'll contact you within 24 hours.`,
  },
  'shipment.stalled': {
    subject: "We're sorry: your parcel hasn't moved for a while",
    body: [
      `We're sorry: your parcel (${parcel}) {{#if reasonCode}}{{reasonCode}}{{else}}hasn't had a tracking update for a while{{/if}}{{#if lastCheckpointAt}} (last update: {{lastCheckpointAt}}){{/if}}.`,
      "{{#if nextStep}}{{nextStep}}{{else}}We're checking with the carrier and will let you know what we find.{{/if}}",
      'We apologise for the wait.',
      track,
    ],
    sms: `${hi('your')} parcel {{trackingNumber}} hasn't moved for a while, sorry. {{#if nextStep}}{{nextStep}}{{else}}We're checking with the carrier.{{/if}}`,
  },

  'return.shipped': returnParcel(
    'Your return parcel is on its way',
    "is on its way, thank you! We'll inspect it as soon as it arrives and let you know.",
    "is on its way. We'll inspect it on arrival and let you know.",
  ),
  'return.out_for_delivery': returnParcel(
    'Your return parcel is out for delivery',
    "is being delivered to us; we'll inspect it soon after.",
    "is being delivered to us; we'll inspect it soon after.",
  ),
  'return.available_for_pickup': returnParcel(
    'Your return parcel is at a pickup point',
    "is waiting at a pickup point; we'll collect and inspect it soon.",
    "is at a pickup point; we'll collect and inspect it soon.",
  ),
  'return.failed_attempt': returnParcel(
    "Your return parcel couldn't be delivered yet",
    "couldn't be delivered this time; the carrier will try again and we're following it.",
    "couldn't be delivered yet; the carrier will try again.",
  ),
  'return.delivered': returnParcel(
    'Your return parcel has arrived',
    "has arrived. We'll inspect it soon and let you know.",
    "has arrived. We'll inspect it soon and let you know.",
  ),
  'return.delivered_elsewhere': returnParcel(
    'Your return parcel has arrived',
    "has arrived. We'll inspect it soon and let you know.",
    "has arrived. We'll inspect it soon and let you know.",
  ),
  'return.exception': returnParcel(
    "We're sorry: your return parcel ran into a problem",
    "ran into a problem on its way. We're checking with the carrier and will keep you posted.",
    "has a delivery problem. We're checking with the carrier.",
  ),
  'return.returning': returnParcel(
    'Your return parcel is coming back to you',
    "couldn't reach us and is being returned to you. Please look out for it, and contact us if you need help.",
    "couldn't reach us and is coming back to you. Contact us if you need help.",
  ),
  'return.returned': returnParcel(
    'Your return parcel came back to you',
    'came back to you. Please contact us to confirm the return address before sending it again.',
    'came back to you. Please check the address with us before resending.',
  ),
  'return.stalled': returnParcel(
    "We're sorry: your return parcel hasn't moved for a while",
    "hasn't had a tracking update for a while. We're checking with the carrier and will let you know.",
    "hasn't moved for a while. We're checking with the carrier.",
  ),

  'case.requested': {
    subject: "We've received your {{type}} request ({{number}})",
    body: [
      "We've received your {{type}} request, case {{number}}{{#if orderNumber}} (order {{orderNumber}}){{/if}}.",
      "We'll handle it as soon as we can and keep you posted at every step.",
      portal,
    ],
    sms: `${hi('your')} {{type}} request {{number}} is in. We'll handle it soon and keep you posted.`,
  },
  'case.approved': {
    subject: 'Your {{type}} request is approved ({{number}})',
    body: [
      'Your {{type}} request (case {{number}}) is approved.',
      { if: 'returnBy', p: 'Please send the item back as follows:' },
      {
        if: 'returnBy',
        items: [
          { if: 'rma', text: 'Return number (RMA): {{rma}}. Please write it on a note inside the parcel.' },
          { if: 'returnAddress', text: 'Send it to: {{returnAddress}}' },
          'Ship it by: {{returnBy}}',
          { if: 'postagePaidBy', text: 'Return postage: {{postagePaidBy}}' },
          {
            if: 'mustBeIntact',
            text: 'Please return the item unused and complete, with its tags, packaging and accessories',
          },
          { if: 'instructions', text: '{{instructions}}' },
        ],
      },
      {
        if: 'returnBy',
        p: "Once it's sent, please enter the tracking number on your request page; we'll inspect the item as soon as it arrives. If nothing is shipped by the deadline, the request is cancelled.",
      },
      { unless: 'returnBy', p: "We'll take care of it right away and let you know as soon as it's done." },
      portal,
    ],
    sms: `${hi('your')} {{type}} request {{number}} is approved.{{#if returnBy}} Please ship it by {{returnBy}}{{#if returnAddress}} to {{returnAddress}}{{/if}} and enter the tracking number.{{else}} We'll take care of it soon.{{/if}}`,
  },
  'case.rejected': {
    subject: 'About your {{type}} request ({{number}})',
    body: [
      "We're sorry, but we can't approve your {{type}} request (case {{number}}){{#if reasonCode}}: {{reasonCode}}{{/if}}.",
      { if: 'note', p: 'Our note: {{note}}' },
      "If you have questions, or can add photos or other details, just reply to this email or contact us and we'll take another look.",
    ],
    sms: `${hi('your')} {{type}} request {{number}} wasn't approved{{#if reasonCode}}: {{reasonCode}}{{/if}}. Questions or more details? Contact us.`,
  },
  'case.cancelled': {
    subject: 'Your request {{number}} is cancelled',
    body: [
      'Your {{type}} request (case {{number}}) has been cancelled{{#if reason}}: {{reason}}{{#if returnBy}} ({{returnBy}}){{/if}}{{/if}}.',
      'If you still need help, please contact us any time.',
    ],
    sms: `${hi('your')} {{type}} request {{number}} is cancelled{{#if reason}}: {{reason}}{{/if}}. Still need help? Contact us.`,
  },
  'case.return_in_transit': {
    subject: 'Your return is on its way ({{number}})',
    body: [
      'We can see the parcel you sent back for case {{number}} is on its way, thank you!',
      "We'll inspect the item as soon as it arrives and let you know right away.",
      portal,
    ],
    sms: `${hi('your')} return for case {{number}} is on its way. We'll inspect it on arrival and let you know.`,
  },
  'case.return_received': {
    subject: "We've received your return ({{number}})",
    body: [
      "We've received the item you sent back for case {{number}}.",
      "We'll inspect it shortly{{#if refundDueBy}} and finish by {{refundDueBy}}{{/if}}, and let you know the result right away.",
      portal,
    ],
    sms: `${hi('your')} return for case {{number}} has arrived. We'll inspect it soon{{#if refundDueBy}} and finish by {{refundDueBy}}{{/if}}.`,
  },
  'case.inspection_failed': {
    subject: "Your returned item didn't pass inspection ({{number}})",
    body: [
      "We're sorry: the item you sent back for case {{number}} didn't pass our inspection{{#if note}}: {{note}}{{/if}}.",
      { if: 'refundAmount', p: "Based on the inspection, we'll refund you {{refundAmount}}." },
      'If you disagree, reply to this email or contact us: we can share photos of the inspection and work out a solution with you.',
    ],
    sms: `${hi('your')} return for case {{number}} didn't pass inspection, sorry.{{#if refundAmount}} We'll refund {{refundAmount}}.{{/if}} Disagree? Contact us.`,
  },
  'case.refunded': {
    subject: "We've refunded {{amount}} ({{number}})",
    body: [
      "We've refunded {{amount}} for case {{number}}{{#if method}}, {{method}}{{/if}}.",
      "Your bank or payment provider decides when it shows up; if it hasn't arrived within 7 business days, please contact us.",
      'Thank you for your patience!',
    ],
    sms: `${hi("you've")} been refunded {{amount}} for case {{number}}{{#if method}}, {{method}}{{/if}}.`,
  },
  'case.replacement_shipped': {
    subject: 'Your {{type}} has shipped ({{number}})',
    body: [
      "We've shipped the item for your {{type}} (case {{number}}){{#if carrier}} with {{carrier}}{{/if}}. Tracking number: {{trackingNumber}}.",
      'Please look the package over before signing for it, and check the item soon after; if anything is wrong, contact us right away.',
      portal,
    ],
    sms: `${hi('your')} {{type}} for case {{number}} has shipped{{#if carrier}} with {{carrier}}{{/if}}, tracking {{trackingNumber}}. Please check it on arrival.`,
  },
  'case.resolved': {
    subject: 'Your request {{number}} is resolved',
    body: [
      'Your {{type}} (case {{number}}) is resolved. Thank you for your patience!',
      "If you're not happy with the outcome, please contact us any time.",
    ],
    sms: `${hi('your')} {{type}} case {{number}} is resolved. Thanks for your patience. Not happy? Contact us any time.`,
  },
  'case.closed': {
    subject: 'Your request {{number}} is closed',
    body: [
      'Your {{type}} (case {{number}}) is now closed.',
      'Thank you for shopping with {{shopName}}. If anything else comes up, we are happy to help.',
    ],
    sms: `${hi('your')} case {{number}} is closed. Thank you, and contact us if anything else comes up.`,
  },
  'case.acknowledged': {
    subject: "We've received your feedback ({{number}})",
    body: [
      "We're sorry about your experience. Your complaint (case {{number}}) is now with a member of our team, who is looking into it.",
      "We'll come back to you with a proposal as soon as we've got to the bottom of it. If you have anything to add, just reply to this email.",
    ],
    sms: `${hi("we're")} sorry about your experience. Complaint {{number}} is with our team; we'll come back with a proposal soon.`,
  },
  'case.proposal': {
    subject: 'Our proposal for your complaint ({{number}})',
    body: [
      "Again, we're sorry for the trouble. About the issue you raised (case {{number}}), {{#if note}}here is what we propose:{{else}}we have a proposal and will be in touch shortly to talk it through.{{/if}}",
      { if: 'note', p: '{{note}}' },
      "If that works for you, or you'd like something else, just reply to this email or contact us and we'll act on it quickly.",
    ],
    sms: `${hi("we've")} sent a proposal for your complaint {{number}}. Please see your email or contact us; we look forward to your reply.`,
  },

  'followup.checkin': {
    subject: '{{#if name}}{{name}}, how{{else}}How{{/if}} are you getting on with your order?',
    body: [
      'Your order {{orderNumber}} arrived a few days ago. How are you getting on with it?',
      "If you have any questions or notice a quality problem, just reply to this email and we'll help you straight away.",
      'Enjoy!',
    ],
    sms: `${hi('your')} order {{orderNumber}} arrived a few days ago. All good? Any problem, just contact us. {{unsubscribe}}`,
  },
  'followup.review': {
    subject: "How did we do? We'd love your review",
    body: [
      'Thank you for choosing {{shopName}}! If you are happy with your order {{orderNumber}}, we would love a short review: it helps other shoppers and helps us improve.',
      { link: 'reviewUrl', label: 'Write a review' },
      "If anything isn't right, please tell us first and we'll do our best to fix it.",
    ],
    sms: `${hi('thanks')} for order {{orderNumber}}! Happy with it? A review would mean a lot; if not, tell us first. {{unsubscribe}}`,
  },
  winback: {
    subject: "It's been a while: new arrivals at {{shopName}}",
    body: [
      "It's been a while!{{#if lastOrderAt}} Since your last order on {{lastOrderAt}},{{/if}} we've added lots of new things we think you'll like. Come and have a look.",
      { link: 'shopUrl', label: 'Visit the shop' },
    ],
    sms: `${hi("you've")} been missed! We have lots of new arrivals, come and take a look. {{unsubscribe}}`,
  },
  'greeting.birthday': {
    subject: 'Happy birthday{{#if name}}, {{name}}{{/if}}!',
    body: [
      'Everyone at {{shopName}} wishes you a very happy birthday and a wonderful year ahead!',
      'Thank you for being with us.',
    ],
    sms: 'Happy birthday{{#if name}}, {{name}}{{/if}}! Wishing you a wonderful year ahead, and thank you for being with us. {{unsubscribe}}',
  },
  'greeting.holiday': {
    subject: "{{#if holidayName}}Happy {{holidayName}}{{else}}Season's greetings{{/if}} from {{shopName}}",
    body: [
      "{{#if holidayName}}Happy {{holidayName}}!{{else}}Season's greetings!{{/if}} Everyone at {{shopName}} wishes you and your family joy and good health.",
      'Thank you for your support and trust.',
    ],
    sms: `{{#if name}}Hi {{name}}, {{/if}}{{#if holidayName}}happy {{holidayName}}!{{else}}season's greetings!{{/if}} Wishing you and your family joy and good health. {{unsubscribe}}`,
  },
};

export const EN_CHAT: Record<Extract<TemplateId, `staff.${string}`>, BuiltInChat> = {
  'staff.delivery_exception': {
    title: 'Parcel problem{{#if reasonCode}}: {{reasonCode}}{{/if}} ({{number}})',
    text: `The parcel{{#if trackingNumber}} ${parcel}{{/if}}{{#if orderNumber}} of order {{orderNumber}}{{/if}} is {{#if reasonCode}}{{reasonCode}}{{else}}in trouble{{/if}}{{#if customerName}} (customer: {{customerName}}){{/if}}.{{#if reason}} {{reason}}{{/if}} {{#if type}}The {{type}} case{{else}}Case{{/if}} {{number}} is open: please check it and contact the customer.`,
  },
  'staff.sla_breach': {
    title: 'Case {{number}} is overdue',
    text: 'The {{#if type}}{{type}} {{/if}}case {{number}} {{sla}}{{#if dueAt}} (due {{dueAt}}){{/if}}{{#if customerName}}, customer: {{customerName}}{{/if}}. Please deal with it now.',
  },
  'staff.case_waiting': {
    title: 'Case {{number}} is waiting',
    text: 'The {{#if type}}{{type}} {{/if}}request {{number}}{{#if customerName}} from {{customerName}}{{/if}} has been waiting {{#if hours}}more than {{hours}} hours{{else}}{{#if since}}since {{since}}{{else}}for a decision{{/if}}{{/if}}. Please review it.',
  },
  'staff.vip_exception': {
    title: 'VIP parcel problem{{#if customerName}}: {{customerName}}{{/if}}',
    text: `The parcel{{#if trackingNumber}} ${parcel}{{/if}} of VIP customer{{#if customerName}} {{customerName}}{{/if}}{{#if segment}} ({{segment}}){{/if}}{{#if orderNumber}}, order {{orderNumber}},{{/if}} is {{#if reasonCode}}{{reasonCode}}{{else}}in trouble{{/if}}.{{#if number}} Case {{number}} is open.{{/if}} Please follow up first and contact the customer yourself.`,
  },
};
