import type { TemplateId } from '../../../schemas/notifications.ts';
import type { BuiltInChat, BuiltInText } from './built-in.ts';

/*
 * 中文内置文案。语气：称呼客户姓名；店铺有责任时先道歉；说清楚下一步是什么、什么时候；
 * 签收相关的消息都提醒验货，并说明有问题怎么办。短信不含签名（发送时自动加在开头：【店铺名】），
 * 营销短信以 {{unsubscribe}}（回TD退订）结尾。
 */

const hi = '{{#if name}}{{name}}您好，{{/if}}';
const parcel = '{{#if carrier}}{{carrier}} {{/if}}{{trackingNumber}}';
const track = { link: 'trackingUrl', label: '查看物流详情' };
const portal = { link: 'portalUrl', label: '查看售后进度' };

/** 退货包裹（silent：售后单自己的通知会告诉客户，这里的文案只为记录和店铺自定义时参考）。 */
const returnParcel = (subject: string, line: string, sms: string): BuiltInText => ({
  subject,
  body: [`您寄回的退货包裹（${parcel}）${line}`, track],
  sms: `${hi}您寄回的包裹{{trackingNumber}}${sms}`,
});

export const ZH_TEXTS: Record<Exclude<TemplateId, `staff.${string}`>, BuiltInText> = {
  'order.confirmed': {
    subject: '订单 {{orderNumber}} 已确认',
    body: [
      '感谢您选购{{shopName}}的商品！您的订单 {{orderNumber}} 已确认{{#if total}}，订单金额 {{total}}{{/if}}。',
      '我们会尽快为您打包发货，包裹发出后会第一时间告诉您快递单号。',
    ],
    sms: `${hi}您的订单{{orderNumber}}已确认，我们会尽快发货，发出后将通知您快递单号。`,
  },
  'order.payment_reminder': {
    subject: '您的订单 {{orderNumber}} 还未付款',
    body: [
      '您在{{shopName}}的订单 {{orderNumber}}{{#if total}}（{{total}}）{{/if}}还没有完成付款，商品我们先为您保留着。',
      '如果付款时遇到了问题，直接回复这封邮件告诉我们，我们会协助您完成；如果您不再需要，忽略本消息即可。',
    ],
    sms: `${hi}您的订单{{orderNumber}}还未付款，商品已为您保留。付款遇到问题可随时联系我们。`,
  },
  'order.refunded': {
    subject: '您的退款 {{amount}} 已办理',
    body: [
      '{{#if orderNumber}}您的订单 {{orderNumber}} {{else}}您的{{/if}}退款 {{amount}} 已办理，款项将退回您的支付账户。',
      '到账时间以银行或支付平台为准；如 7 个工作日后仍未到账，请联系我们，我们会帮您查询。',
    ],
    sms: `${hi}{{#if orderNumber}}订单{{orderNumber}}的{{else}}您的{{/if}}退款{{amount}}已办理，到账时间以支付平台为准。`,
  },

  'shipment.shipped': {
    subject: '您的包裹已发出，快递单号 {{trackingNumber}}',
    body: [
      '您的订单{{#if orderNumber}} {{orderNumber}} {{/if}}已发货{{#if carrier}}，由{{carrier}}配送{{/if}}，快递单号 {{trackingNumber}}{{#if shippedAt}}（发货日期 {{shippedAt}}）{{/if}}。',
      { if: 'expectedDelivery', p: '预计 {{expectedDelivery}} 送达。' },
      track,
      '收货时请先检查外包装，如有明显破损，可以当面拒收并联系我们。',
    ],
    sms: `${hi}您的包裹已{{#if carrier}}由{{carrier}}{{/if}}发出，单号{{trackingNumber}}{{#if expectedDelivery}}，预计{{expectedDelivery}}送达{{/if}}，签收前请检查外包装。`,
  },
  'shipment.out_for_delivery': {
    subject: '您的包裹正在派送，请保持电话畅通',
    body: [
      `您的包裹（${parcel}）正在派送中{{#if expectedDelivery}}，预计 {{expectedDelivery}} 送达{{/if}}，请保持电话畅通。`,
      '签收时请当面验货：检查外包装和商品，如有破损、少件，可以拒收并联系我们。',
      track,
    ],
    sms: `${hi}您的包裹{{trackingNumber}}正在派送，请保持电话畅通。签收时请当面验货，如有破损可拒收并联系我们。`,
  },
  'shipment.available_for_pickup': {
    subject: '您的包裹已到取件点，请及时取件',
    body: [
      `您的包裹（${parcel}）已到达{{#if pickupPoint}}{{pickupPoint}}{{else}}取件点{{/if}}{{#if pickupCode}}，取件码 {{pickupCode}}{{/if}}。`,
      '请尽快取件，存放超时的包裹可能会被退回。取件时请当场检查，如有破损或少件，请拍照并联系我们。',
      track,
    ],
    sms: `${hi}您的包裹{{trackingNumber}}已到{{#if pickupPoint}}{{pickupPoint}}{{else}}取件点{{/if}}{{#if pickupCode}}，取件码{{pickupCode}}{{/if}}，请尽快取件并当场验货。`,
  },
  'shipment.failed_attempt': {
    subject: '您的包裹派送未成功',
    body: [
      `快递员尝试派送您的包裹（${parcel}）未成功。`,
      { if: 'lastMessage', p: '最新物流信息：{{lastMessage}}' },
      '快递员通常会再次派送，您也可以联系快递约定派送时间或改为自提。如需修改收货地址，请尽快联系我们。',
      track,
    ],
    sms: `${hi}您的包裹{{trackingNumber}}派送未成功，快递员通常会再次派送，也可联系快递约定时间。需改地址请联系我们。`,
  },
  'shipment.delivered': {
    subject: '您的包裹已签收，请及时验货',
    body: [
      `您的包裹（${parcel}）已{{#if deliveredAt}}于 {{deliveredAt}} {{/if}}签收{{#if signedBy}}，签收人：{{signedBy}}{{/if}}。`,
      '请您尽快开箱验货，核对商品的数量、款式和完好情况。如发现破损、少件或发错货，请保留包装并拍照，提交售后申请，我们会尽快为您处理。',
      { link: 'portalUrl', label: '申请售后' },
      '如果您并没有收到包裹，请立即联系我们，我们会向快递核实。',
      '感谢您的支持，祝您使用愉快！',
    ],
    sms: `${hi}您的包裹{{trackingNumber}}已签收，请尽快开箱验货。如有破损、少件或发错，请拍照并申请售后；如未收到包裹请立即联系我们。`,
  },
  'shipment.delivered_elsewhere': {
    subject: '您的包裹{{#if deliveredTo}}{{deliveredTo}}{{else}}已送达{{/if}}，请及时取回验货',
    body: [
      `您的包裹（${parcel}）{{#if deliveredTo}}{{deliveredTo}}{{else}}已送达{{/if}}{{#if signedBy}}（签收人：{{signedBy}}）{{/if}}{{#if pickupPoint}}，地点：{{pickupPoint}}{{/if}}{{#if pickupCode}}，取件码 {{pickupCode}}{{/if}}。`,
      '请尽快取回并开箱验货；如有破损、少件或发错货，请拍照并提交售后申请，我们会尽快为您处理。',
      { link: 'portalUrl', label: '申请售后' },
      '如果您没有找到包裹，请立即联系我们，我们会协助向快递核实。',
    ],
    sms: `${hi}您的包裹{{trackingNumber}}{{#if deliveredTo}}{{deliveredTo}}{{else}}已送达{{/if}}{{#if pickupCode}}，取件码{{pickupCode}}{{/if}}，请尽快取回并验货。如未找到包裹请立即联系我们。`,
  },
  'shipment.exception': {
    subject: '抱歉，您的包裹运输出现异常',
    body: [
      `非常抱歉，您的包裹（${parcel}）在运输途中出现了异常{{#if providerStatus}}（{{providerStatus}}）{{/if}}。`,
      '{{#if nextStep}}{{nextStep}}{{else}}我们正在与快递公司核实，有新进展会第一时间通知您。{{/if}}',
      '给您添麻烦了，感谢您的耐心。',
      track,
    ],
    sms: `${hi}非常抱歉，您的包裹{{trackingNumber}}运输异常。{{#if nextStep}}{{nextStep}}{{else}}我们正在核实，有进展会立即通知您。{{/if}}`,
  },
  'shipment.returning': {
    subject: '您的包裹正在退回',
    body: [
      `很抱歉，您的包裹（${parcel}）没能送达，快递正在把它退回给我们{{#if providerStatus}}（{{providerStatus}}）{{/if}}。`,
      '包裹退回后，我们会联系您安排重新发货或退款。如果您仍需要这件商品，或需要更正收货地址，请直接联系我们。',
    ],
    sms: `${hi}很抱歉，您的包裹{{trackingNumber}}未能送达，正在退回。我们会联系您安排重发或退款，如需改地址请联系我们。`,
  },
  'shipment.returned': {
    subject: '您的包裹已退回，我们会尽快联系您',
    body: [
      `很抱歉，您的包裹（${parcel}）未能送达，已退回到我们这里。`,
      '我们会在24小时内联系您，按您的意愿重新发货或办理退款。',
    ],
    sms: `${hi}很抱歉，您的包裹{{trackingNumber}}未能送达，已退回。我们会在24小时内联系您安排重发或退款。`,
  },
  'shipment.stalled': {
    subject: '抱歉，您的包裹物流长时间未更新',
    body: [
      `非常抱歉，您的包裹（${parcel}）{{#if reasonCode}}{{reasonCode}}{{else}}物流信息长时间没有更新{{/if}}{{#if lastCheckpointAt}}，最近一次更新在 {{lastCheckpointAt}}{{/if}}。`,
      '{{#if nextStep}}{{nextStep}}{{else}}我们正在向快递公司核实，有结果会第一时间通知您。{{/if}}',
      '给您带来不便，我们深表歉意。',
      track,
    ],
    sms: `${hi}非常抱歉，您的包裹{{trackingNumber}}{{#if reasonCode}}{{reasonCode}}{{else}}物流长时间未更新{{/if}}。{{#if nextStep}}{{nextStep}}{{else}}我们正在向快递核实，有结果会立即通知您。{{/if}}`,
  },

  'return.shipped': returnParcel(
    '您寄回的包裹已发出',
    '已经发出，谢谢！包裹到达后我们会尽快验收，并通知您处理结果。',
    '已发出，到达后我们会尽快验收并通知您结果。',
  ),
  'return.out_for_delivery': returnParcel(
    '您寄回的包裹正在派送',
    '正在派送到我们这里，签收后我们会尽快验收。',
    '正在派送到我们这里，签收后会尽快验收。',
  ),
  'return.available_for_pickup': returnParcel(
    '您寄回的包裹已到取件点',
    '已到取件点，我们会尽快取回并验收。',
    '已到取件点，我们会尽快取回并验收。',
  ),
  'return.failed_attempt': returnParcel(
    '您寄回的包裹派送未成功',
    '这次没能派送成功，快递会再次派送，我们也在跟进。',
    '派送未成功，快递会再次派送，我们也在跟进。',
  ),
  'return.delivered': returnParcel(
    '您寄回的包裹已送达',
    '已送达，我们会尽快验收并通知您结果。',
    '已送达，我们会尽快验收并通知您结果。',
  ),
  'return.delivered_elsewhere': returnParcel(
    '您寄回的包裹已送达',
    '已送达，我们会尽快验收并通知您结果。',
    '已送达，我们会尽快验收并通知您结果。',
  ),
  'return.exception': returnParcel(
    '抱歉，您寄回的包裹运输异常',
    '在运输途中出现了异常，我们正在与快递核实，有进展会通知您。',
    '运输异常，我们正在与快递核实，有进展会通知您。',
  ),
  'return.returning': returnParcel(
    '您寄回的包裹正在退回给您',
    '没能送到我们这里，正在退回给您。请留意查收，需要帮助请联系我们。',
    '未能送达，正在退回给您，请留意查收，需要帮助请联系我们。',
  ),
  'return.returned': returnParcel(
    '您寄回的包裹已退回给您',
    '已被退回给您。请联系我们确认寄回地址后再重新寄出。',
    '已退回给您，请联系我们确认地址后再重新寄出。',
  ),
  'return.stalled': returnParcel(
    '抱歉，您寄回的包裹物流长时间未更新',
    '物流长时间没有更新，我们正在与快递核实，有结果会通知您。',
    '物流长时间未更新，我们正在与快递核实，有结果会通知您。',
  ),

  'case.requested': {
    subject: '已收到您的{{type}}申请（{{number}}）',
    body: [
      '我们已收到您的{{type}}申请，售后单号 {{number}}{{#if orderNumber}}（订单 {{orderNumber}}）{{/if}}。',
      '我们会尽快处理，每一步进展都会及时通知您。',
      portal,
    ],
    sms: `${hi}已收到您的{{type}}申请，售后单号{{number}}，我们会尽快处理并通知您进展。`,
  },
  'case.approved': {
    subject: '您的{{type}}申请已通过（{{number}}）',
    body: [
      '您的{{type}}申请（售后单号 {{number}}）已审核通过。',
      { if: 'returnBy', p: '请按以下信息寄回商品：' },
      {
        if: 'returnBy',
        items: [
          { if: 'rma', text: '退货编号（RMA）：{{rma}}，请写在纸条上放入包裹，或填在快递备注里' },
          { if: 'returnAddress', text: '寄回地址：{{returnAddress}}' },
          '寄出期限：请在 {{returnBy}} 前寄出',
          { if: 'postagePaidBy', text: '运费：{{postagePaidBy}}' },
          { if: 'mustBeIntact', text: '请保持商品完好，吊牌、包装和配件齐全，不影响二次销售' },
          { if: 'instructions', text: '{{instructions}}' },
        ],
      },
      {
        if: 'returnBy',
        p: '寄出后，请在售后页面填写快递单号，我们收到商品后会尽快验收处理。超过寄出期限未寄回的，申请将自动取消。',
      },
      { unless: 'returnBy', p: '我们会尽快为您办理，有进展会第一时间通知您。' },
      portal,
    ],
    sms: `${hi}{{type}}申请{{number}}已通过{{#if returnBy}}，请于{{returnBy}}前寄回{{#if returnAddress}}：{{returnAddress}}{{/if}}{{else}}，我们会尽快办理{{/if}}。`,
  },
  'case.rejected': {
    subject: '您的{{type}}申请未能通过（{{number}}）',
    body: [
      '很抱歉，您的{{type}}申请（售后单号 {{number}}）未能通过审核{{#if reasonCode}}：{{reasonCode}}{{/if}}。',
      { if: 'note', p: '说明：{{note}}' },
      '如果您对结果有疑问，或可以补充照片等信息，请直接回复此邮件或联系客服，我们会重新为您核实。',
    ],
    sms: `${hi}很抱歉，您的{{type}}申请{{number}}未通过审核{{#if reasonCode}}（{{reasonCode}}）{{/if}}。如有疑问或可补充信息，请联系客服。`,
  },
  'case.cancelled': {
    subject: '您的售后申请 {{number}} 已取消',
    body: [
      '您的{{type}}申请（售后单号 {{number}}）已取消{{#if reason}}，原因：{{reason}}{{#if returnBy}}（期限 {{returnBy}}）{{/if}}{{/if}}。',
      '如果您仍需要帮助，请随时联系我们。',
    ],
    sms: `${hi}您的{{type}}申请{{number}}已取消{{#if reason}}（{{reason}}）{{/if}}。如仍需帮助请联系客服。`,
  },
  'case.return_in_transit': {
    subject: '您寄回的商品已在路上（{{number}}）',
    body: [
      '我们看到您为售后单 {{number}} 寄回的包裹已经发出，谢谢！',
      '商品到达后我们会尽快验收，并第一时间通知您结果。',
      portal,
    ],
    sms: `${hi}售后单{{number}}的退货包裹已在路上，到达后我们会尽快验收并通知您。`,
  },
  'case.return_received': {
    subject: '我们已收到您寄回的商品（{{number}}）',
    body: [
      '我们已收到您为售后单 {{number}} 寄回的商品。',
      '我们会尽快完成验收{{#if refundDueBy}}，并在 {{refundDueBy}} 前为您处理完毕{{/if}}，结果会第一时间通知您。',
      portal,
    ],
    sms: `${hi}已收到您为售后单{{number}}寄回的商品，我们会尽快验收{{#if refundDueBy}}，{{refundDueBy}}前处理完毕{{/if}}。`,
  },
  'case.inspection_failed': {
    subject: '您寄回的商品验收未通过（{{number}}）',
    body: [
      '很抱歉，您为售后单 {{number}} 寄回的商品验收未通过{{#if note}}：{{note}}{{/if}}。',
      { if: 'refundAmount', p: '根据验收结果，我们将为您退款 {{refundAmount}}。' },
      '如果您对验收结果有异议，请回复此邮件或联系客服，我们可以提供验收照片，并与您协商解决。',
    ],
    sms: `${hi}很抱歉，售后单{{number}}的商品验收未通过{{#if refundAmount}}，将为您退款{{refundAmount}}{{/if}}。如有异议请联系客服。`,
  },
  'case.refunded': {
    subject: '退款 {{amount}} 已办理（{{number}}）',
    body: [
      '您的售后单 {{number}} 已退款 {{amount}}{{#if method}}，{{method}}{{/if}}。',
      '到账时间以银行或支付平台为准；如 7 个工作日后仍未到账，请联系我们。',
      '感谢您的耐心！',
    ],
    sms: `${hi}售后单{{number}}已退款{{amount}}{{#if method}}，{{method}}{{/if}}。到账时间以支付平台为准。`,
  },
  'case.replacement_shipped': {
    subject: '您的{{type}}商品已发出（{{number}}）',
    body: [
      '售后单 {{number}} 的{{type}}商品已发出{{#if carrier}}，由{{carrier}}配送{{/if}}，快递单号 {{trackingNumber}}。',
      '收货时请先检查外包装，签收后尽快开箱验货，如有问题请及时联系我们。',
      portal,
    ],
    sms: `${hi}售后单{{number}}的{{type}}商品已{{#if carrier}}由{{carrier}}{{/if}}发出，单号{{trackingNumber}}，签收后请及时验货。`,
  },
  'case.resolved': {
    subject: '您的售后单 {{number}} 已处理完成',
    body: [
      '您的{{type}}（售后单号 {{number}}）已处理完成，感谢您的耐心与理解！',
      '如果您对处理结果还有任何不满意，欢迎随时联系我们。',
    ],
    sms: `${hi}您的{{type}}售后单{{number}}已处理完成，感谢您的耐心。如有不满意请随时联系我们。`,
  },
  'case.closed': {
    subject: '您的售后单 {{number}} 已关闭',
    body: [
      '您的{{type}}（售后单号 {{number}}）已完结关闭。',
      '感谢您对{{shopName}}的支持；如有新的问题，欢迎随时联系我们。',
    ],
    sms: `${hi}您的售后单{{number}}已完结。感谢您的支持，如有新问题欢迎随时联系我们。`,
  },
  'case.acknowledged': {
    subject: '我们已收到您的反馈（{{number}}）',
    body: [
      '非常抱歉给您带来了不好的体验。您的投诉（编号 {{number}}）已由专人负责，我们正在了解情况。',
      '核实清楚后，我们会尽快给您答复处理方案。期间如有补充，直接回复此邮件即可。',
    ],
    sms: `${hi}非常抱歉给您带来不好的体验。您的投诉{{number}}已由专人跟进，核实后会尽快答复处理方案。`,
  },
  'case.proposal': {
    subject: '关于您的投诉（{{number}}），我们的处理方案',
    body: [
      '再次为给您带来的不便致歉。针对您反馈的问题（编号 {{number}}），{{#if note}}我们的处理方案是：{{else}}我们已拟好处理方案，客服会尽快与您沟通。{{/if}}',
      { if: 'note', p: '{{note}}' },
      '如果您同意这个方案，或有其他想法，请直接回复此邮件或联系客服，我们会尽快落实。',
    ],
    sms: `${hi}关于您的投诉{{number}}，我们已给出处理方案，详情请查看邮件或联系客服，期待您的回复。`,
  },

  'followup.checkin': {
    subject: '{{#if name}}{{name}}，{{/if}}商品用得还顺手吗？',
    body: [
      '您订单 {{orderNumber}} 里的商品已经到了几天，想问问您用得怎么样？',
      '使用中如果有任何疑问，或发现质量问题，直接回复这封邮件就能找到我们，我们会尽快帮您解决。',
      '祝您使用愉快！',
    ],
    sms: `${hi}订单{{orderNumber}}的商品用得还好吗？使用中有任何问题，随时联系我们。{{unsubscribe}}`,
  },
  'followup.review': {
    subject: '期待您的评价',
    body: [
      '感谢您选择{{shopName}}！如果您对订单 {{orderNumber}} 的商品满意，欢迎抽空写个评价，您的意见能帮助其他顾客，也能让我们做得更好。',
      { link: 'reviewUrl', label: '去评价' },
      '如果有任何不满意的地方，请先告诉我们，我们一定尽力解决。',
    ],
    sms: `${hi}感谢您的购买！如果满意订单{{orderNumber}}的商品，欢迎给个评价；如有不满意请先联系我们。{{unsubscribe}}`,
  },
  winback: {
    subject: '好久不见，{{shopName}}上新了',
    body: [
      '好久不见！{{#if lastOrderAt}}自您 {{lastOrderAt}} 上次购物以来，{{/if}}我们上新了不少好物，欢迎回来看看。',
      { link: 'shopUrl', label: '逛逛店铺' },
    ],
    sms: `${hi}好久不见！店里上新了不少好物，欢迎回来看看。{{unsubscribe}}`,
  },
  'greeting.birthday': {
    subject: '{{#if name}}{{name}}，{{/if}}祝您生日快乐！',
    body: [
      '今天是您的生日，{{shopName}}全体同事祝您生日快乐，新的一岁平安喜乐、万事顺意！',
      '感谢您一直以来的支持。',
    ],
    sms: '{{#if name}}{{name}}，{{/if}}祝您生日快乐！新的一岁平安喜乐、万事顺意，感谢您一直以来的支持。{{unsubscribe}}',
  },
  'greeting.holiday': {
    subject: '{{shopName}}祝您{{#if holidayName}}{{holidayName}}{{else}}节日{{/if}}快乐',
    body: [
      '值此{{#if holidayName}}{{holidayName}}{{else}}佳节{{/if}}之际，{{shopName}}祝您和家人节日快乐、幸福安康！',
      '感谢您一直以来的支持与信任。',
    ],
    sms: `${hi}值此{{#if holidayName}}{{holidayName}}{{else}}佳节{{/if}}之际，祝您和家人节日快乐、幸福安康！{{unsubscribe}}`,
  },
};

export const ZH_CHAT: Record<Extract<TemplateId, `staff.${string}`>, BuiltInChat> = {
  'staff.delivery_exception': {
    title: '包裹异常{{#if reasonCode}}：{{reasonCode}}{{/if}}（{{number}}）',
    text: `{{#if orderNumber}}订单 {{orderNumber}} 的{{/if}}包裹{{#if trackingNumber}}（${parcel}）{{/if}}{{#if reasonCode}}{{reasonCode}}{{else}}出现异常{{/if}}{{#if customerName}}，客户：{{customerName}}{{/if}}。已生成{{#if type}}{{type}}{{/if}}售后单 {{number}}，请尽快核实并联系客户。`,
  },
  'staff.sla_breach': {
    title: '售后单 {{number}} 已超时',
    text: '{{#if type}}{{type}}{{/if}}售后单 {{number}} {{sla}}{{#if dueAt}}（期限 {{dueAt}}）{{/if}}{{#if customerName}}，客户：{{customerName}}{{/if}}，请尽快处理。',
  },
  'staff.case_waiting': {
    title: '售后单 {{number}} 等待处理',
    text: '{{#if type}}{{type}}{{/if}}申请 {{number}}{{#if customerName}}（客户：{{customerName}}）{{/if}}{{#if hours}} 已等待超过 {{hours}} 小时{{else}}{{#if since}} 自 {{since}} 起等待处理{{else}} 还在等待处理{{/if}}{{/if}}，请尽快审核。',
  },
  'staff.vip_exception': {
    title: 'VIP 客户包裹异常{{#if customerName}}：{{customerName}}{{/if}}',
    text: `VIP 客户{{#if customerName}} {{customerName}}{{/if}}{{#if segment}}（{{segment}}）{{/if}}的包裹{{#if trackingNumber}}（${parcel}）{{/if}}{{#if reasonCode}}{{reasonCode}}{{else}}出现异常{{/if}}{{#if orderNumber}}，订单 {{orderNumber}}{{/if}}{{#if number}}，售后单 {{number}}{{/if}}。请优先跟进，主动联系客户说明情况。`,
  },
};
