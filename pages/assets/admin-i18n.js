/*
 * The admin page's words in English and Simplified Chinese, side by side so neither is forgotten,
 * and the formats (money, dates, ages) of the chosen language. The language comes from the browser
 * (navigator.language) unless the clerk switched it; the choice is kept in localStorage (it is not
 * a secret).
 */

const LANG_KEY = 'aftersale.admin.lang';
export const LANGS = ['en', 'zh-CN'];

/** key: [English, 中文]. `{name}` is replaced by the variable of that name. */
const M = {
  'app.name': ['aftersale admin', 'aftersale 售后管理'],
  'app.skip': ['Skip to content', '跳到正文'],
  'app.loading': ['Loading…', '加载中…'],
  'app.footer': ['aftersale: open-source after-sale automation', 'aftersale:开源售后自动化'],
  'lang.switch': ['中文', 'English'],
  'lang.switchLabel': ['切换到中文', 'Switch to English'],
  'nav.label': ['Main', '主导航'],
  'nav.queue': ['Queue', '待办队列'],
  'nav.lookup': ['Lookup', '查询'],
  'nav.operations': ['Operations', '运维'],
  'nav.settings': ['Settings', '设置'],
  'nav.summary': ['Summary', '概览'],
  'auth.signedInAs': ['Shop {shop} · {role}', '店铺 {shop} · {role}'],
  'auth.signOut': ['Sign out', '退出登录'],
  'auth.title': ['Sign in', '登录'],
  'auth.tokenIntro': [
    'Paste a staff token. Make one on the machine running aftersale:',
    '粘贴员工令牌。在运行 aftersale 的机器上生成:',
  ],
  'auth.tokenLabel': ['Staff token', '员工令牌'],
  'auth.tokenHint': [
    'Kept in this tab only (sessionStorage) until you sign out or close the tab.',
    '仅保存在当前标签页(sessionStorage),退出登录或关闭标签页即清除。',
  ],
  'auth.submit': ['Sign in', '登录'],
  'auth.checking': ['Signing in…', '正在登录…'],
  'auth.emailLabel': ['Email', '邮箱'],
  'auth.passwordLabel': ['Password', '密码'],
  'auth.newPasswordIntro': [
    'Your account needs a new password before you can continue.',
    '首次登录需要设置新密码。',
  ],
  'auth.newPasswordLabel': ['New password', '新密码'],
  'auth.newPasswordAgain': ['New password again', '再次输入新密码'],
  'auth.newPasswordSubmit': ['Set the password and sign in', '设置密码并登录'],
  'auth.mfaLabel': ['Verification code', '验证码'],
  'auth.mfaSubmit': ['Verify', '验证'],
  'auth.cognitoIntro': ['Sign in with your staff account.', '使用员工账号登录。'],
  'auth.badToken': [
    'That does not look like a token (three parts separated by dots).',
    '这不像令牌(应为以点分隔的三段)。',
  ],
  'auth.noShop': [
    'The token names no shop or no role (staff or manager).',
    '令牌中没有店铺或角色(staff 或 manager)。',
  ],
  'auth.expired': ['Your session has expired: sign in again.', '登录已过期,请重新登录。'],
  'auth.refused': ['The API refused the token: {message}', 'API 拒绝了该令牌:{message}'],
  'auth.passwordsDiffer': ['The two passwords differ.', '两次输入的密码不一致。'],
  'auth.cognitoMissing': [
    'The sign-in library (/assets/cognito.js) could not be loaded.',
    '无法加载登录组件(/assets/cognito.js)。',
  ],
  'auth.signedOut': ['You are signed out.', '已退出登录。'],
  'role.staff': ['staff', '员工'],
  'role.manager': ['manager', '主管'],

  'common.refresh': ['Refresh', '刷新'],
  'common.loadMore': ['Load more', '加载更多'],
  'common.cancel': ['Cancel', '取消'],
  'common.close': ['Close', '关闭'],
  'common.dismiss': ['Dismiss', '关闭提示'],
  'common.save': ['Save', '保存'],
  'common.any': ['Any', '全部'],
  'common.none': ['—', '—'],
  'common.yes': ['yes', '是'],
  'common.no': ['no', '否'],
  'common.optional': ['optional', '选填'],
  'common.required': ['required', '必填'],
  'common.open': ['Open', '打开'],
  'common.back': ['Back to the queue', '返回队列'],
  'common.search': ['Search', '查询'],
  'common.managerOnly': ['Only a manager may do this.', '仅主管可操作。'],
  'common.unavailable': [
    'Not available from the API yet ({status}): {message}',
    'API 暂不可用({status}):{message}',
  ],
  'common.empty': ['Nothing here.', '暂无内容。'],
  'common.version': ['Version', '版本'],
  'common.updated': ['Updated', '更新时间'],

  'error.network': ['The API could not be reached. Check your connection.', '无法连接 API,请检查网络。'],
  'error.versionConflict': [
    'Someone else changed {case} meanwhile. It has been reloaded: check it and decide again.',
    '{case} 已被他人修改,已重新加载,请核对后再操作。',
  ],
  'error.approvalLimit': [
    'Above your approval limit: a manager must approve {case}. ({message})',
    '超出你的审批额度,需由主管审批 {case}。({message})',
  ],
  'error.forbidden': ['Not allowed: {message}', '无权操作:{message}'],
  'error.fieldRequired': ['Fill this in.', '请填写此项。'],
  'error.money': ['Enter an amount such as {example}.', '请输入金额,例如 {example}。'],
  'error.moneyDigits': ['At most {digits} decimals for {currency}.', '{currency} 最多 {digits} 位小数。'],
  'error.currency': ['A three-letter currency code, such as CNY.', '三位货币代码,例如 CNY。'],
  'error.number': ['Enter a whole number.', '请输入整数。'],
  'error.json': ['Not valid JSON: {message}', 'JSON 格式错误:{message}'],
  'error.photos': ['One https:// address per line, at most 10.', '每行一个 https:// 地址,最多 10 个。'],

  'queue.title': ['Review queue', '审核队列'],
  'queue.filters': ['Filters', '筛选'],
  'queue.status': ['Status', '状态'],
  'queue.type': ['Type', '类型'],
  'queue.reason': ['Reason', '原因'],
  'queue.assignee': ['Assignee', '处理人'],
  'queue.assigneeHint': ['Exact user id', '完整用户 ID'],
  'queue.slaBreached': ['Only SLA breached', '仅超时'],
  'queue.olderThan': ['Waiting longer than (hours)', '等待超过(小时)'],
  'queue.apply': ['Apply filters', '应用筛选'],
  'queue.reset': ['Reset', '重置'],
  'queue.caption': ['{count} cases shown, oldest first', '显示 {count} 个售后单,最早的在前'],
  'queue.caption.one': ['1 case shown', '显示 1 个售后单'],
  'queue.empty': ['No cases match these filters.', '没有符合条件的售后单。'],
  'queue.col.case': ['Case', '售后单'],
  'queue.col.type': ['Type', '类型'],
  'queue.col.status': ['Status', '状态'],
  'queue.col.order': ['Order', '订单'],
  'queue.col.requested': ['Requested', '申请时间'],
  'queue.col.amount': ['Amount', '金额'],
  'queue.col.assignee': ['Assignee', '处理人'],
  'queue.col.sla': ['SLA', '时限'],
  'queue.col.decide': ['Decide', '处理'],
  'queue.unassigned': ['unassigned', '未指派'],
  'queue.done.approve': ['{case} approved: now {status}.', '{case} 已批准,当前状态:{status}。'],
  'queue.done.acknowledge': ['{case} acknowledged: now {status}.', '{case} 已受理,当前状态:{status}。'],
  'queue.rejected': ['{case} rejected ({reason}).', '{case} 已拒绝({reason})。'],

  'sla.breached': ['SLA breached', '已超时'],
  'sla.refund_due': ['refund deadline', '退款时限'],
  'sla.first_response': ['first response', '首次响应'],
  'complaintStep.acknowledged': ['acknowledged', '已受理'],
  'complaintStep.investigating': ['investigating', '调查中'],
  'complaintStep.proposed': ['remedy proposed', '已提出方案'],
  'complaintStep.agreed': ['agreed', '已达成一致'],
  'complaintStep.following_up': ['following up', '回访中'],
  'sla.ok': ['on time', '未超时'],

  'reject.title': ['Reject {case}', '拒绝 {case}'],
  'reject.reason': ['Reason', '拒绝原因'],
  'reject.choose': ['Choose a reason', '请选择原因'],
  'reject.note': ['Note to the customer', '给顾客的说明'],
  'reject.noteHint': ['The customer is told this with the rejection.', '顾客会在拒绝通知中看到这段说明。'],
  'reject.submit': ['Reject', '拒绝'],
  'rejectReason.not_eligible': ['Not eligible', '不符合条件'],
  'rejectReason.outside_policy': ['Outside the policy', '超出售后政策'],
  'rejectReason.item_used': ['Item used or not intact', '商品已使用或不完好'],
  'rejectReason.fraud_suspected': ['Fraud suspected', '疑似欺诈'],
  'rejectReason.other': ['Other', '其他'],

  'case.title': ['Case {number}', '售后单 {number}'],
  'case.loading': ['Loading the case…', '正在加载售后单…'],
  'case.details': ['Details', '详情'],
  'case.origin': ['Origin', '来源'],
  'case.order': ['Order', '订单'],
  'case.customer': ['Customer', '顾客'],
  'case.amount': ['Amount asked', '申请金额'],
  'case.refunded': ['Refunded', '已退款'],
  'case.requestedAt': ['Requested', '申请时间'],
  'case.approvedAt': ['Approved', '批准时间'],
  'case.returnBy': ['Return by', '退回截止'],
  'case.receivedAt': ['Received', '收货时间'],
  'case.refundDueBy': ['Refund due by', '退款截止'],
  'case.assignee': ['Assignee', '处理人'],
  'case.resolution': ['Resolution', '退款方式'],
  'case.reasonText': ['Reason given', '说明'],
  'case.complaintStep': ['Complaint step', '投诉处理步骤'],
  'case.firstResponseDueBy': ['First response due by', '首次响应截止'],
  'case.closedAt': ['Closed', '关闭时间'],
  'case.proposedRemedy': ['Proposed remedy', '建议处理'],
  'case.slaBreaches': ['SLA breaches', '超时记录'],
  'case.lines': ['Lines', '商品行'],
  'case.line': ['Line', '行'],
  'case.quantity': ['Qty', '数量'],
  'case.lineNote': ['Note', '备注'],
  'case.exchangeFor': ['Exchange for', '换成'],
  'case.photos': ['Photos', '照片'],
  'case.photo': ['Photo {n}', '照片 {n}'],
  'case.actions': ['Actions', '操作'],
  'case.noActions': ['Nothing can be done in this status but add a note.', '此状态下只能添加备注。'],
  'case.policy': ['Policy decision', '政策判定'],
  'case.policyNone': ['No policy decision is recorded on this case.', '此售后单没有政策判定记录。'],
  'case.policyRule': ['by rule {rule}, policy version {version}', '规则 {rule},政策版本 {version}'],
  'case.trace': ['What the rule tested', '规则检查项'],
  'case.trace.test': ['Test', '检查'],
  'case.trace.value': ['Value', '值'],
  'case.trace.passed': ['Passed', '通过'],
  'case.violations': ['Violations noted', '违反的条款'],
  'case.terms': ['Terms', '条款'],
  'case.terms.windowEndsAt': ['Window ends', '售后期截止'],
  'case.terms.shipWithinDays': ['Ship the return within (days)', '寄回期限(天)'],
  'case.terms.refundWithinDays': ['Refund within (days)', '退款期限(天)'],
  'case.terms.returnPostagePaidBy': ['Return postage paid by', '退货运费承担方'],
  'case.terms.restockingFee': ['Restocking fee', '折旧/手续费'],
  'case.terms.mustBeIntact': ['Goods must be intact', '商品须完好'],
  'case.postage.buyer': ['the buyer', '买家'],
  'case.postage.shop': ['the shop', '商家'],
  'case.marketplace': ['Marketplace request', '平台售后'],
  'case.marketplaceLine': [
    '{provider} request {id}: {status} ({providerStatus})',
    '{provider} 售后 {id}:{status}({providerStatus})',
  ],
  'case.inspection': ['Inspection', '验货'],
  'case.inspectionLine': ['{result} by {by} at {at}', '{result},{by},{at}'],
  'case.inspectionPassed': ['Passed', '合格'],
  'case.inspectionFailed': ['Failed', '不合格'],
  'case.refunds': ['Refunds', '退款记录'],
  'case.refundLine': [
    '{amount} via {method}, reference {reference}, by {by} at {at}',
    '{amount},{method},流水号 {reference},{by},{at}',
  ],
  'case.timeline': ['Timeline', '处理记录'],
  'case.trailBy': ['by {by}', '操作人 {by}'],
  'case.trailTo': ['to', '变为'],
  'case.trailPolicy': ['policy v{version}, rule {rule}', '政策 v{version},规则 {rule}'],
  'case.notices': ['Notices to the customer', '顾客通知'],
  'case.noNotices': [
    'No notice is planned yet (they are recorded within a few seconds).',
    '暂无通知(通常几秒内记录)。',
  ],
  'notice.template': ['Notice', '通知'],
  'notice.status': ['Status', '状态'],
  'notice.plannedAt': ['Planned', '计划时间'],
  'notice.recordedAt': ['Recorded', '记录时间'],
  'case.parcels': ['Parcels', '包裹'],
  'case.noParcels': ['No return parcel or replacement yet.', '暂无退货或换货包裹。'],
  'case.returnParcel': ['Return parcel', '退货包裹'],
  'case.replacement': ['Replacement', '换货/补发包裹'],
  'case.outbound': ["Events for the shop's systems", '推送到商家系统的事件'],
  'case.noOutbound': ['No event sent yet.', '尚未推送事件。'],
  'outbound.type': ['Event', '事件'],
  'outbound.status': ['Status', '状态'],
  'outbound.attempts': ['Attempts', '尝试次数'],
  'outbound.lastError': ['Last error', '最近错误'],
  'outbound.occurredAt': ['Occurred', '发生时间'],
  'outbound.deliveredAt': ['Delivered', '送达时间'],
  'case.notes': ['Internal notes', '内部备注'],
  'case.noNotes': ['No note yet.', '暂无备注。'],
  'case.noteLabel': ['Add an internal note (staff only)', '添加内部备注(仅员工可见)'],
  'case.noteSubmit': ['Add note', '添加备注'],
  'case.noteAdded': ['Note added.', '备注已添加。'],
  'case.done': ['{action}: done. {case} is now {status}.', '{action}:已完成。{case} 当前状态:{status}。'],
  'case.notFound': ['No such case in this shop.', '本店铺没有这个售后单。'],

  'form.note': ['Note', '备注'],
  'form.noteHint': ['Kept on the case trail.', '记录在处理记录中。'],
  'form.passed': ['Result', '结果'],
  'form.passedYes': ['Passed: the goods are as expected', '合格:商品符合要求'],
  'form.passedNo': ['Failed', '不合格'],
  'form.refundAmount': ['Partial refund offered ({currency})', '部分退款金额({currency})'],
  'form.refundAmountHint': [
    'Only when the inspection failed; leave empty otherwise.',
    '仅验货不合格时填写,否则留空。',
  ],
  'form.photos': ['Photo addresses, one per line', '照片地址,每行一个'],
  'form.amount': ['Amount ({currency})', '金额({currency})'],
  'form.amountHint': [
    'At most {max} (what the case is worth, less refunds).',
    '最多 {max}(售后金额减已退款)。',
  ],
  'form.currency': ['Currency', '币种'],
  'form.method': ['Refund to', '退款方式'],
  'form.reference': ['Refund reference', '退款流水号'],
  'form.referenceHint': ["The refund's id in your payment system.", '支付系统中的退款单号。'],
  'form.carrier': ['Carrier', '快递公司'],
  'form.carrierHint': ['Such as sf-express, yto, ups.', '例如 sf-express、yto、ups。'],
  'form.trackingNumber': ['Tracking number', '运单号'],
  'form.assignee': ['Assign to (user id)', '指派给(用户 ID)'],
  'form.assigneeHint': ['Your own id is {me}.', '你的 ID 是 {me}。'],
  'form.confirm': ['{action} {case}', '{action} {case}'],
  'method.original_payment': ['Original payment', '原路退回'],
  'method.store_credit': ['Store credit', '店铺余额'],

  'lookup.title': ['Lookup', '查询'],
  'lookup.orderById': ['Order by id', '按订单 ID'],
  'lookup.orderId': ["Marketplace's order id", '平台订单 ID'],
  'lookup.provider': ['Marketplace', '平台'],
  'lookup.providerHint': [
    'Needed only when two marketplaces share the id.',
    '仅当两个平台有相同 ID 时需要。',
  ],
  'lookup.orderByNumber': ['Order by number', '按订单号'],
  'lookup.number': ['Order number', '订单号'],
  'lookup.numberHint': ['As the customer sees it, such as #1001.', '顾客看到的订单号,例如 #1001。'],
  'lookup.shipment': ['Shipment', '物流'],
  'lookup.tracking': ['Tracking number', '运单号'],
  'lookup.customer': ['Customer', '顾客'],
  'lookup.email': ['Email', '邮箱'],
  'lookup.phone': ['Phone', '手机号'],
  'lookup.contactHint': ['Give the email or the phone.', '填写邮箱或手机号。'],
  'lookup.ambiguous': [
    '{message} Choose the marketplace and search again.',
    '{message} 请选择平台后重新查询。',
  ],
  'lookup.notFound': ['Nothing found: {message}', '未找到:{message}'],
  'lookup.results': ['Results', '查询结果'],
  'order.title': ['Order {number}', '订单 {number}'],
  'order.provider': ['Marketplace', '平台'],
  'order.id': ['Order id', '订单 ID'],
  'order.placedAt': ['Placed', '下单时间'],
  'order.paidAt': ['Paid', '付款时间'],
  'order.deliveredAt': ['Delivered', '签收时间'],
  'order.cancelledAt': ['Cancelled', '取消时间'],
  'order.total': ['Total', '合计'],
  'order.refunded': ['Refunded', '已退款'],
  'order.customer': ['Customer', '顾客'],
  'order.shipTo': ['Ship to', '收货地址'],
  'order.lines': ['Lines', '商品'],
  'order.lineTitle': ['Item', '商品'],
  'order.sku': ['SKU', 'SKU'],
  'order.unitPrice': ['Unit price', '单价'],
  'order.lineTotal': ['Total', '小计'],
  'order.shipments': ['Shipments', '物流'],
  'order.notices': ['Notices', '通知'],
  'order.timeline': ['Timeline', '时间线'],
  'order.cases': ['Marketplace after-sale requests', '平台售后申请'],
  'order.fileCase': [
    'Cases of this order are in the queue under its number.',
    '该订单的售后单可在队列中查看。',
  ],
  'shipment.title': ['Shipment {tracking}', '运单 {tracking}'],
  'shipment.carrier': ['Carrier', '快递公司'],
  'shipment.direction': ['Direction', '方向'],
  'shipment.status': ['Status', '状态'],
  'shipment.statusAt': ['Status since', '状态时间'],
  'shipment.shippedAt': ['Shipped', '发货时间'],
  'shipment.deliveredAt': ['Delivered', '签收时间'],
  'shipment.expected': ['Expected', '预计送达'],
  'shipment.signedBy': ['Signed by', '签收人'],
  'shipment.stalled': ['Stalled since {since}: {reason}', '自 {since} 停滞:{reason}'],
  'shipment.checkpoints': ['Checkpoints', '物流轨迹'],
  'shipment.noCheckpoints': ['No checkpoint yet.', '暂无轨迹。'],
  'shipment.track': ['Track at the carrier', '在快递公司查询'],
  'direction.outbound': ['to the customer', '寄给顾客'],
  'direction.return': ['back to the shop', '寄回商家'],
  'customer.orders': ['Orders', '订单'],
  'customer.firstOrder': ['First order', '首单'],
  'customer.lastOrder': ['Last order', '最近订单'],
  'customer.segment': ['Segment (RFM)', '客户分层 (RFM)'],
  'customer.optOuts': ['No marketing by', '已退订营销'],
  'customer.contactStatus': ['Undeliverable', '无法送达'],
  'customer.none': ['No customer with that email or phone.', '没有使用该邮箱或手机号的顾客。'],

  'ops.title': ['Operations', '运维'],
  'ops.inbox': ['Webhook inbox', 'Webhook 收件箱'],
  'ops.inboxStatus': ['Items that are', '状态'],
  'ops.inboxEmpty': ['No inbox item in this status.', '没有该状态的收件。'],
  'ops.received': ['Received', '接收时间'],
  'ops.provider': ['Provider', '来源'],
  'ops.topic': ['Topic', '主题'],
  'ops.attempts': ['Attempts', '次数'],
  'ops.error': ['Error', '错误'],
  'ops.bytes': ['Bytes', '字节'],
  'ops.replay': ['Replay', '重放'],
  'ops.replayed': [
    'Inbox item {id} queued again (it was {previous}).',
    '收件 {id} 已重新入队(原状态:{previous})。',
  ],
  'ops.replayNotQueued': [
    'Inbox item {id} was not queued (it is {previous}).',
    '收件 {id} 未入队(当前状态:{previous})。',
  ],
  'ops.dlq': ['Dead-letter queues', '死信队列'],
  'ops.dlqIntro': [
    'Messages that failed five times. Fix the cause, then move them back to their queue.',
    '重试五次仍失败的消息。修复原因后,将其移回原队列。',
  ],
  'ops.depth': ['{count} messages waiting', '{count} 条消息'],
  'ops.messages': ['Messages', '消息'],
  'ops.redrive': ['Redrive {queue}', '重新投递 {queue}'],
  'ops.redriven': ['{moved} messages moved back to {queue}.', '已将 {moved} 条消息移回 {queue}。'],
  'ops.notices': ['Notice log', '通知记录'],
  'ops.noticesEmpty': ['No notice recorded yet.', '暂无通知记录。'],

  'settings.title': ['Settings', '设置'],
  'settings.policy': ['Return policy', '售后政策'],
  'settings.policyMeta': ['Version {version}', '版本 {version}'],
  'settings.policyDefault': ['the default policy: nothing published yet', '默认政策:尚未发布'],
  'settings.policyJson': [
    'Policy (JSON; docs/policy.md explains every field)',
    '政策 JSON(字段说明见 docs/policy.md)',
  ],
  'settings.days': ['Try it on the cases of the last (days)', '用最近多少天的售后单试算(天)'],
  'settings.dryRun': ['Dry run', '试算'],
  'settings.publish': ['Publish', '发布'],
  'settings.revert': ['Revert to the current policy', '恢复为当前政策'],
  'settings.publishTitle': ['Publish the policy', '发布政策'],
  'settings.publishConfirm': [
    'New requests are decided by the published policy at once. Cases already decided keep their version.',
    '发布后新申请立即按新政策判定,已判定的售后单保留原版本。',
  ],
  'settings.published': ['Policy version {version} published.', '政策版本 {version} 已发布。'],
  'settings.invalid': ['The policy is not valid:', '政策无效:'],
  'dry.title': ['Dry-run report', '试算结果'],
  'dry.summary': [
    '{evaluated} of {samples} cases evaluated; {changed} would be decided differently.',
    '共 {samples} 个售后单,试算 {evaluated} 个,{changed} 个结果会改变。',
  ],
  'dry.outcome': ['Outcome', '结果'],
  'dry.current': ['Current (v{version})', '当前(v{version})'],
  'dry.draft': ['Draft', '草稿'],
  'dry.difference': ['Difference', '差异'],
  'dry.transitions': ['Changes', '变化'],
  'dry.byRule': ['Changed cases by deciding draft rule', '按草稿规则统计的变化'],
  'dry.rule': ['Rule', '规则'],
  'dry.count': ['Cases', '数量'],
  'dry.changes': ['Changed cases', '变化的售后单'],
  'dry.case': ['Case', '售后单'],
  'dry.from': ['From', '原结果'],
  'dry.to': ['To', '新结果'],
  'dry.currentRule': ['Current rule', '当前规则'],
  'dry.draftRule': ['Draft rule', '草稿规则'],
  'dry.codesAdded': ['Codes added', '新增违规'],
  'dry.codesRemoved': ['Codes removed', '移除违规'],
  'dry.skipped': ['Skipped', '跳过'],
  'dry.noChange': ['No case would be decided differently.', '没有售后单的结果会改变。'],
  'outcome.approve': ['approve', '自动批准'],
  'outcome.review': ['review', '人工审核'],
  'outcome.reject': ['reject', '自动拒绝'],
  'outcome.refused': ['refused', '不受理'],
  'settings.shop': ['Shop settings', '店铺设置'],
  'settings.managerOnly': ['Only a manager may change these settings.', '仅主管可修改这些设置。'],
  'settings.name': ['Shop name', '店铺名称'],
  'settings.timezone': ['Time zone (IANA, such as Asia/Shanghai)', '时区(IANA,例如 Asia/Shanghai)'],
  'settings.locale': ['Language for customers', '顾客语言'],
  'settings.defaultRegion': ['Default region for phone numbers (such as CN)', '手机号默认地区(例如 CN)'],
  'settings.tracking': ['Tracking', '物流跟踪'],
  'settings.stallHours': ['A parcel is stalled after (hours without news)', '无更新多少小时视为停滞'],
  'settings.pendingHours': ['No tracking info after (hours)', '多少小时无物流信息'],
  'settings.stallRemedy': ['Remedy to propose for a stalled parcel', '包裹停滞时建议的处理'],
  'remedy.none': ['none', '无'],
  'remedy.reship': ['reship', '补发'],
  'remedy.refund': ['refund', '退款'],
  'settings.cases': ['Cases', '售后'],
  'settings.staffApprovalLimit': [
    'Staff approval limit (minor units: 50000 is 500.00)',
    '员工审批额度(最小货币单位:50000 即 500.00)',
  ],
  'settings.staffApprovalLimitHint': [
    'Staff may approve cases worth up to {amount} (in a currency with cents, such as CNY); managers any amount.',
    '员工可审批金额不超过 {amount}(以有分位的币种计,如人民币)的售后单,主管不限。',
  ],
  'settings.shipWithinDays': ['Customer ships the return within (days)', '顾客寄回期限(天)'],
  'settings.refundWithinDays': ['Refund within (days of receipt)', '收货后退款期限(天)'],
  'settings.firstResponseHours': ['First response to a complaint within (hours)', '投诉首次响应时限(小时)'],
  'settings.returnAddress': ['Return address', '退货地址'],
  'settings.returnInstructions': ['Return instructions for the customer', '给顾客的退货说明'],
  'settings.saved': ['Settings saved.', '设置已保存。'],
  'settings.notifications': ['Notifications', '通知设置'],
  'settings.templates': ['Message templates', '消息模板'],
  'notif.quietHours': ['Quiet hours', '免打扰时段'],
  'notif.quietHoursHint': [
    "No SMS or marketing email in these hours (the customer's time zone, else the shop's): they wait until the end, never dropped.",
    '此时段内不发短信和营销邮件(按顾客时区,否则按店铺时区),顺延到结束时发送,不会丢弃。',
  ],
  'notif.quietStart': ['From (24-hour)', '开始(24 小时制)'],
  'notif.quietEnd': ['Until (24-hour)', '结束(24 小时制)'],
  'notif.exemptTransactional': [
    'Let order, parcel and case updates through at night',
    '订单、物流和售后通知不受免打扰限制',
  ],
  'notif.caps': ['Marketing caps', '营销消息上限'],
  'notif.capsHint': [
    'Marketing and retention messages per customer, across channels and programs.',
    '每位顾客收到的营销与回访消息数量,跨渠道、跨活动合计。',
  ],
  'notif.perDay': ['At most per day', '每天最多'],
  'notif.perWeek': ['At most per week', '每周最多'],
  'notif.programs': ['Programs', '自动化活动'],
  'program.paymentReminder': ['Payment reminder (unpaid orders)', '催付(未付款订单)'],
  'program.checkin': ['Check-in after delivery', '签收后回访'],
  'program.review': ['Review request', '邀请评价'],
  'program.winback': ['Win-back', '老客召回'],
  'program.birthday': ['Birthday greeting', '生日祝福'],
  'program.holidays': ['Holiday greetings', '节日祝福'],
  'notif.enabled': ['On', '开启'],
  'notif.afterMinutes': ['Minutes after the order', '下单后多少分钟'],
  'notif.afterDays.checkin': ['Days after delivery', '签收后多少天'],
  'notif.afterDays.review': ['Days after delivery', '签收后多少天'],
  'notif.afterDays.winback': ['Days since the last order', '距上次下单多少天'],
  'notif.segments': ['Only these customer segments', '仅限这些顾客分层'],
  'notif.segmentsHint': ['None ticked: every customer.', '都不勾选即所有顾客。'],
  'notif.holidayDates': ['Holidays', '节日'],
  'notif.holidayName': ['Holiday name', '节日名称'],
  'notif.holidayDate': ['Holiday', '日期'],
  'notif.holidayCustom': ['Another date (MM-DD)', '其他日期(MM-DD)'],
  'notif.holidayMmdd': ['Date (MM-DD)', '日期(MM-DD)'],
  'notif.holidayMmddHint': ['Such as 05-20.', '例如 05-20。'],
  'notif.addHoliday': ['Add a holiday', '添加节日'],
  'notif.removeHoliday': ['Remove holiday {n}', '删除节日 {n}'],
  'notif.remove': ['Remove', '删除'],
  'notif.vip': ['VIP customers', 'VIP 顾客'],
  'notif.vipHint': [
    'Customers in these segments or with these tags get the VIP version of a template and staff are alerted about their parcel problems.',
    '属于这些分层或带有这些标签的顾客会收到模板的 VIP 版本,其包裹异常会提醒员工。',
  ],
  'notif.vipTags': ['VIP tags', 'VIP 标签'],
  'notif.vipTagsHint': ['Separated by commas, such as vip, wholesale.', '以逗号分隔,例如 vip, 批发。'],
  'notif.channels': ['Channels', '发送渠道'],
  'notif.secretsHint': [
    'Passwords and secrets are not shown or set here: npx aftersale channel secret sets them.',
    '密码和密钥不在此显示或设置,请用 npx aftersale channel secret 设置。',
  ],
  'notif.email': ['Email', '邮件'],
  'notif.emailProvider': ['Send email through', '邮件发送方式'],
  'provider.email.outbox': ['Outbox (kept, not sent)', '本地发件箱(仅记录,不发送)'],
  'provider.email.ses': ['Amazon SES', 'Amazon SES'],
  'provider.email.smtp': ['SMTP server', 'SMTP 服务器'],
  'notif.from': ['From address', '发件人地址'],
  'notif.fromHint': [
    'Needed for SES and SMTP: Shop <service@shop.example>',
    'SES 和 SMTP 必填:店铺 <service@shop.example>',
  ],
  'notif.replyTo': ['Reply-To address', '回复地址'],
  'notif.configurationSet': ['SES configuration set', 'SES 配置集'],
  'notif.smtpHost': ['SMTP host', 'SMTP 主机'],
  'notif.smtpPort': ['SMTP port', 'SMTP 端口'],
  'notif.smtpPortHint': ['587 or 25 (STARTTLS), 465 (TLS).', '587 或 25(STARTTLS),465(TLS)。'],
  'notif.smtpSecure': ['TLS from the first byte (port 465)', '全程 TLS(端口 465)'],
  'notif.smtpUser': ['SMTP user', 'SMTP 用户名'],
  'notif.smtpUserHint': ['Without a user no login is attempted.', '不填则不登录。'],
  'notif.sms': ['SMS', '短信'],
  'notif.smsProvider': ['Send SMS through', '短信发送方式'],
  'provider.sms.outbox': ['Outbox (kept, not sent)', '本地发件箱(仅记录,不发送)'],
  'provider.sms.sns': ['Amazon SNS', 'Amazon SNS'],
  'provider.sms.webhook': ["The shop's gateway (webhook)", '店铺自己的网关(webhook)'],
  'notif.signature': [
    'Every SMS starts with the signature: 【{name}】 in Chinese, "{name}: " in English (the shop name).',
    '每条短信以签名开头:中文为【{name}】,英文为“{name}: ”(即店铺名称)。',
  ],
  'notif.senderId': ['SNS sender id', 'SNS 发送方 ID'],
  'notif.senderIdHint': [
    '1 to 11 letters and digits, where the country allows it.',
    '1–11 位字母数字,需目的国家支持。',
  ],
  'notif.webhookUrl': ["Gateway's URL", '网关地址'],
  'notif.webhookUrlHint': [
    'For SMS through the webhook and the webhook channel: https://…',
    '用于 webhook 短信与 webhook 渠道:https://…',
  ],
  'notif.staffAlerts': ['Staff alerts to chat groups', '员工群提醒'],
  'notif.alertKind': ['Chat', '群类型'],
  'notif.alertUrl': ["Group bot's webhook URL", '群机器人 Webhook 地址'],
  'notif.addAlert': ['Add a chat group', '添加群'],
  'notif.removeAlert': ['Remove chat group {n}', '删除群 {n}'],
  'alertKind.wecom': ['WeCom 企业微信', '企业微信'],
  'alertKind.dingtalk': ['DingTalk 钉钉', '钉钉'],
  'alertKind.slack': ['Slack', 'Slack'],
  'notif.links': ['Links in messages', '消息中的链接'],
  'notif.adminUrl': ['Admin page address', '管理后台地址'],
  'notif.adminUrlHint': ['For the case links in staff alerts.', '用于员工提醒中的售后单链接。'],
  'notif.portalUrl': ['Customer portal address', '顾客售后页面地址'],
  'notif.portalUrlHint': ['For the links in customer messages.', '用于顾客消息中的链接。'],
  'notif.save': ['Save notifications', '保存通知设置'],
  'notif.saved': ['Notification settings saved.', '通知设置已保存。'],
  'notif.unchanged': ['Nothing changed: nothing to save.', '没有修改,无需保存。'],
  'notif.invalid': ['The API refused these settings:', 'API 拒绝了这些设置:'],
  'notif.cannotClear': [
    'Once set, this cannot be emptied here: give another address.',
    '已设置的地址无法在此清空,请填写新地址。',
  ],
  'segment.champions': ['champions', '核心客户'],
  'segment.loyal': ['loyal', '忠诚客户'],
  'segment.recent': ['recent', '新客户'],
  'segment.needs_attention': ['needs attention', '需关注'],
  'segment.at_risk': ['at risk', '流失风险'],
  'segment.inactive': ['inactive', '沉睡客户'],
  'holiday.spring_festival': ['Spring Festival (lunar)', '春节(农历)'],
  'holiday.mid_autumn': ['Mid-Autumn Festival (lunar)', '中秋节(农历)'],
  'holiday.double_eleven': ['Double Eleven (11-11)', '双十一(11-11)'],
  'holiday.christmas': ['Christmas (12-25)', '圣诞节(12-25)'],
  'templateKind.transactional': ['Order, parcel and case updates', '订单、物流与售后通知'],
  'templateKind.marketing': ['Marketing and greetings', '营销与祝福'],
  'templateKind.staff': ['Staff alerts', '员工提醒'],
  'channel.email': ['email', '邮件'],
  'channel.sms': ['SMS', '短信'],
  'channel.chat': ['chat', '群消息'],
  'tpl.intro': [
    "Pick a template to write the shop's own version, per language, and a VIP version. Anything left as the built-in text stays built in.",
    '选择模板,按语言编写店铺自己的版本,也可编写 VIP 版本。与内置文本相同的部分仍使用内置文本。',
  ],
  'tpl.list': ['Templates', '模板列表'],
  'tpl.pick': ['Pick a template from the list.', '请从列表中选择一个模板。'],
  'tpl.own': ['own text', '已自定义'],
  'tpl.locale': ['Language', '语言'],
  'tpl.vip': ['VIP version (for VIP customers)', 'VIP 版本(发给 VIP 顾客)'],
  'tpl.status.own': ["The shop's own text is in use.", '正在使用店铺自定义文本。'],
  'tpl.status.vip': ["The shop's VIP version is in use.", '正在使用店铺的 VIP 版本。'],
  'tpl.status.vipFallback': [
    "No VIP version yet: VIP customers get the shop's own text, shown here.",
    '尚无 VIP 版本:VIP 顾客收到下方的店铺自定义文本。',
  ],
  'tpl.status.builtIn': ['The built-in text is in use.', '正在使用内置文本。'],
  'tpl.draft': [
    'Your unsaved changes are kept below: Save the template, or Reset to built-in.',
    '下方保留了尚未保存的修改:请保存模板,或恢复内置文本。',
  ],
  'tpl.readOnly': ['Read only: a manager may change templates.', '只读:仅主管可修改模板。'],
  'tpl.part.email.subject': ['Email subject', '邮件主题'],
  'tpl.part.email.html': ['Email HTML', '邮件 HTML'],
  'tpl.part.email.text': ['Email plain text', '邮件纯文本'],
  'tpl.part.sms': ['SMS text', '短信内容'],
  'tpl.part.chat.title': ['Chat alert title', '群消息标题'],
  'tpl.part.chat.text': ['Chat alert text', '群消息内容'],
  'tpl.smsHint': ['Without the signature: it is added in front.', '不要写签名,发送时自动加在开头。'],
  'tpl.characters': ['{count} characters', '{count} 个字符'],
  'tpl.characters.one': ['1 character', '1 个字符'],
  'tpl.variables': ['Variables ({count})', '变量({count} 个)'],
  'tpl.insertHint': [
    'Press a variable to insert it at the cursor of the last field you were in.',
    '点击变量,插入到上次编辑的输入框的光标处。',
  ],
  'tpl.insert': ['Insert {{{name}}}', '插入 {{{name}}}'],
  'tpl.var.name': ['Variable', '变量'],
  'tpl.var.type': ['Type', '类型'],
  'tpl.var.required': ['Required', '必有'],
  'tpl.var.requiredYes': ['required', '必有'],
  'tpl.var.example': ['Example', '示例'],
  'tpl.var.description': ['Meaning', '含义'],
  'tpl.preview': ['Preview', '预览'],
  'tpl.save': ['Save the template', '保存模板'],
  'tpl.saved': ['Template {template} ({locale}) saved.', '模板 {template}({locale})已保存。'],
  'tpl.reset': ['Reset to built-in', '恢复内置文本'],
  'tpl.resetTitle': ['Reset {template} ({locale}) to built-in', '将 {template}({locale})恢复为内置文本'],
  'tpl.resetConfirm': [
    "The shop's own text for this language is removed; the built-in text is used again.",
    '将删除该语言的店铺自定义文本,重新使用内置文本。',
  ],
  'tpl.wasReset': [
    'Template {template} ({locale}) uses the built-in text again.',
    '模板 {template}({locale})已恢复内置文本。',
  ],
  'tpl.problems': ['This template cannot be used:', '此模板无法使用:'],
  'tpl.refused': ['The API refused the template:', 'API 拒绝了该模板:'],
  'tpl.previewFailed': ['The preview failed:', '预览失败:'],
  'tpl.previewTitle': ['Preview with example values', '示例预览'],
  'tpl.previewEmail': ['Email', '邮件'],
  'tpl.subject': ['Subject', '主题'],
  'tpl.emailFrame': ['The email as HTML', '邮件 HTML 预览'],
  'tpl.plainText': ['Plain text part', '纯文本部分'],
  'tpl.previewSms': ['SMS', '短信'],
  'tpl.segments': ['{count} segments', '{count} 条计费短信'],
  'tpl.segments.one': ['1 segment', '1 条计费短信'],
  'tpl.previewChat': ['Chat alert', '群消息'],
  'address.name': ['Name', '收件人'],
  'address.phone': ['Phone', '电话'],
  'address.country': ['Country (such as CN)', '国家(例如 CN)'],
  'address.province': ['Province / state', '省份'],
  'address.city': ['City', '城市'],
  'address.district': ['District', '区县'],
  'address.address1': ['Address', '详细地址'],
  'address.address2': ['Address, second line', '地址第二行'],
  'address.postalCode': ['Postal code', '邮编'],

  'summary.title': ['Summary', '概览'],
  'summary.period': ['Period', '统计周期'],
  'summary.from': ['From', '开始日期'],
  'summary.to': ['To', '结束日期'],
  'summary.show': ['Show', '查看'],
  'summary.lastDays': ['Last {days} days', '最近 {days} 天'],
  'summary.openNow': ['Open now', '当前未结'],
  'summary.opened': ['Opened in the period', '周期内新增'],
  'summary.orders': ['Orders in the period', '周期内订单'],
  'summary.returnRate': ['Return rate', '退货率'],
  'summary.medianHours': ['Median hours to a decision', '决定耗时中位数(小时)'],
  'summary.slaCompliance': ['SLA compliance', '时限达标率'],
  'summary.slaLine': ['{breached} of {due} with a deadline breached', '{due} 个有时限,{breached} 个超时'],
  'summary.openByAge': ['Open cases by age', '未结售后单(按等待时长)'],
  'summary.openByStatus': ['Open cases by status', '未结售后单(按状态)'],
  'summary.topReasons': ['Top reasons', '主要原因'],
  'summary.byType': ['Opened by type', '新增(按类型)'],
  'summary.byOrigin': ['Opened by origin', '新增(按来源)'],
  'summary.exceptions': ['Delivery exceptions', '物流异常'],
  'summary.noData': ['No data for this period.', '此周期暂无数据。'],
  'summary.chartLabel': ['{title}: {values}', '{title}:{values}'],
  'age.under1d': ['under 1 day', '不足 1 天'],
  'age.from1to3d': ['1–3 days', '1–3 天'],
  'age.from3to7d': ['3–7 days', '3–7 天'],
  'age.over7d': ['over 7 days', '超过 7 天'],
  'origin.customer': ['customer', '顾客'],
  'origin.marketplace': ['marketplace', '平台'],
  'origin.system': ['system', '系统'],
  'origin.staff': ['staff', '员工'],

  'status.requested': ['requested', '已申请'],
  'status.pending_review': ['pending review', '待审核'],
  'status.approved': ['approved', '已批准'],
  'status.rejected': ['rejected', '已拒绝'],
  'status.awaiting_return': ['awaiting return', '待退回'],
  'status.return_in_transit': ['return in transit', '退货运输中'],
  'status.return_received': ['return received', '已收到退货'],
  'status.inspected': ['inspected', '已验货'],
  'status.refunded': ['refunded', '已退款'],
  'status.replacement_shipped': ['replacement shipped', '已发出换货'],
  'status.resolved': ['resolved', '已解决'],
  'status.closed': ['closed', '已关闭'],
  'status.cancelled': ['cancelled', '已取消'],

  'type.refund_only': ['refund only', '仅退款'],
  'type.return_refund': ['return and refund', '退货退款'],
  'type.exchange': ['exchange', '换货'],
  'type.reship': ['reship', '补发'],
  'type.repair': ['repair', '维修'],
  'type.complaint': ['complaint', '投诉'],

  'reason.size_too_small': ['size too small', '尺码偏小'],
  'reason.size_too_large': ['size too large', '尺码偏大'],
  'reason.defective': ['defective', '质量问题'],
  'reason.not_as_described': ['not as described', '与描述不符'],
  'reason.wrong_item': ['wrong item', '发错货'],
  'reason.damaged_in_transit': ['damaged in transit', '运输损坏'],
  'reason.missing_item': ['missing item', '少件'],
  'reason.changed_mind': ['changed mind (no reason)', '七天无理由'],
  'reason.other': ['other', '其他'],
  'reason.delivery_refused': ['delivery refused', '拒收'],
  'reason.parcel_lost': ['parcel lost', '包裹丢失'],
  'reason.parcel_damaged': ['parcel damaged', '包裹破损'],
  'reason.returned_to_sender': ['returned to sender', '退回寄件人'],
  'reason.shipment_stalled': ['shipment stalled', '物流停滞'],
  'reason.no_tracking_info': ['no tracking info', '无物流信息'],
  'reason.tracking_stopped': ['tracking stopped', '停止跟踪'],
  'reason.address_problem': ['address problem', '地址问题'],

  'action.approve': ['Approve', '批准'],
  'action.reject': ['Reject', '拒绝'],
  'action.cancel': ['Cancel the case', '取消售后'],
  'action.receive': ['Mark received', '确认收到退货'],
  'action.inspect': ['Inspect', '验货'],
  'action.refund': ['Refund', '退款'],
  'action.ship_replacement': ['Ship replacement', '发出换货/补发'],
  'action.register_return': ['Register return parcel', '登记退货运单'],
  'action.resolve': ['Resolve', '标记已解决'],
  'action.close': ['Close', '关闭'],
  'action.acknowledge': ['Acknowledge', '受理'],
  'action.investigate': ['Investigate', '调查'],
  'action.propose': ['Propose a remedy', '提出方案'],
  'action.agree': ['Agreed with customer', '达成一致'],
  'action.follow_up': ['Follow up', '回访'],
  'action.assign': ['Assign', '指派'],
  'action.note': ['Note', '备注'],
  'action.open': ['Opened', '创建'],
  'action.requested': ['Requested', '发起申请'],
  'action.marketplace_update': ['Marketplace update', '平台更新'],
  'action.return_scanned': ['Return parcel scanned', '退货已揽收'],
  'action.return_delivered': ['Return delivered to the shop', '退货已送达'],
  'action.replacement_delivered': ['Replacement delivered', '换货已签收'],
  'action.expire': ['Expired', '逾期'],
  'action.sla_breach': ['SLA breached', '超出时限'],

  'shipStatus.pending': ['pending', '待处理'],
  'shipStatus.info_received': ['info received', '已收到信息'],
  'shipStatus.in_transit': ['in transit', '运输中'],
  'shipStatus.out_for_delivery': ['out for delivery', '派送中'],
  'shipStatus.failed_attempt': ['failed attempt', '投递失败'],
  'shipStatus.available_for_pickup': ['available for pickup', '待取件'],
  'shipStatus.delivered': ['delivered', '已签收'],
  'shipStatus.exception': ['exception', '异常'],
  'shipStatus.returning': ['returning', '退回中'],
  'shipStatus.returned': ['returned', '已退回'],
  'shipStatus.expired': ['expired', '已过期'],

  'orderStatus.placed': ['placed', '已下单'],
  'orderStatus.paid': ['paid', '已付款'],
  'orderStatus.fulfilled': ['fulfilled', '已发货'],
  'orderStatus.partially_fulfilled': ['partially fulfilled', '部分发货'],
  'orderStatus.delivered': ['delivered', '已签收'],
  'orderStatus.cancelled': ['cancelled', '已取消'],
  'orderStatus.refunded': ['refunded', '已退款'],
  'orderStatus.partially_refunded': ['partially refunded', '部分退款'],

  'inboxStatus.received': ['received', '已接收'],
  'inboxStatus.processed': ['processed', '已处理'],
  'inboxStatus.ignored': ['ignored', '已忽略'],
  'inboxStatus.failed': ['failed', '失败'],

  'outboundStatus.retrying': ['retrying', '重试中'],
  'outboundStatus.delivered': ['delivered', '已送达'],
  'outboundStatus.failed': ['failed', '失败'],
  'outboundStatus.not_configured': ['no endpoint configured', '未配置接收地址'],

  'noticeStatus.pending_channel': ['recorded (no channel yet)', '已记录(尚无发送渠道)'],

  'template.case.requested': ['Request received', '已收到申请'],
  'template.case.approved': ['Request approved', '申请已批准'],
  'template.case.rejected': ['Request rejected', '申请被拒绝'],
  'template.case.cancelled': ['Case cancelled', '售后已取消'],
  'template.case.return_in_transit': ['Return on its way', '退货运输中'],
  'template.case.return_received': ['Return received', '已收到退货'],
  'template.case.inspection_failed': ['Inspection failed', '验货不合格'],
  'template.case.refunded': ['Refund issued', '已退款'],
  'template.case.replacement_shipped': ['Replacement shipped', '换货已发出'],
  'template.case.resolved': ['Case resolved', '售后已解决'],
  'template.case.acknowledged': ['Complaint acknowledged', '投诉已受理'],
  'template.case.proposal': ['Remedy proposed', '已提出处理方案'],
  'template.order.confirmed': ['Order confirmed', '订单确认'],
  'template.order.shipped': ['Order shipped', '订单已发货'],
  'template.shipment.out_for_delivery': ['Out for delivery', '派送中'],
  'template.shipment.delivered': ['Delivered: please inspect your parcel', '已签收,请验货'],
};

let current = initialLang();

function initialLang() {
  let saved = null;
  try {
    saved = localStorage.getItem(LANG_KEY);
  } catch {
    // Storage may be off; the browser's language still decides.
  }
  if (saved && LANGS.includes(saved)) return saved;
  // Any Chinese (zh, zh-CN, zh-TW, zh-Hans...) reads the Chinese page; everything else English.
  return /^zh\b/i.test(navigator.language ?? '') ? 'zh-CN' : 'en';
}

export function lang() {
  return current;
}

export function setLang(next) {
  current = LANGS.includes(next) ? next : 'en';
  try {
    localStorage.setItem(LANG_KEY, current);
  } catch {
    // Not remembered: fine.
  }
  document.documentElement.lang = current;
}

/** The phrase for `key` in the current language, with `{name}` filled from `vars`. */
export function t(key, vars = {}) {
  // English counts: "1 case", "2 cases" (a `.one` variant where the words differ).
  const entry = (vars.count === 1 && M[`${key}.one`]) || M[key];
  const text = entry ? entry[current === 'zh-CN' ? 1 : 0] : key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (vars[name] === undefined ? '' : String(vars[name])));
}

/** A code's label (`status.pending_review`...), or the code itself when we have no words for it. */
export function label(kind, code) {
  if (code === undefined || code === null || code === '') return t('common.none');
  const key = `${kind}.${code}`;
  return M[key] ? t(key) : String(code).replace(/_/g, ' ');
}

export function has(key) {
  return key in M;
}

/** How many minor units a major unit of `currency` has (2 for CNY and USD, 0 for JPY). */
export function fractionDigits(currency) {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits;
  } catch {
    return 2;
  }
}

/** 12800 CNY → ¥128.00 (zh-CN) / CN¥128.00 (en). */
export function money(minor, currency) {
  if (typeof minor !== 'number') return t('common.none');
  if (!currency) return String(minor);
  const digits = fractionDigits(currency);
  try {
    return new Intl.NumberFormat(current, { style: 'currency', currency }).format(minor / 10 ** digits);
  } catch {
    return `${(minor / 10 ** digits).toFixed(digits)} ${currency}`;
  }
}

/** Minor units as the plain decimal a clerk would type: 12800 CNY → "128.00". */
export function moneyInput(minor, currency) {
  if (typeof minor !== 'number') return '';
  const digits = fractionDigits(currency);
  if (digits === 0) return String(minor);
  const sign = minor < 0 ? '-' : '';
  const abs = String(Math.abs(minor)).padStart(digits + 1, '0');
  return `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
}

/**
 * What a clerk typed (`128`, `128.5`, `¥1,280.00`, `128,00` is refused as ambiguous) as minor
 * units of `currency`, by string arithmetic so 0.1 + 0.2 never matters. Returns
 * `{ value }` or `{ error }` (a message in the current language).
 */
export function parseMoney(text, currency) {
  const digits = fractionDigits(currency);
  const example = moneyInput(12800, currency);
  // Refunds and limits are never negative: a minus sign is a mistake, not decoration to strip.
  if (/[-−]/.test(String(text))) return { error: t('error.money', { example }) };
  // Currency signs, codes and spaces around the number are decoration; thousands separators are commas.
  const cleaned = String(text)
    .trim()
    .replace(/^[^\d.]*?(?=[\d.])/, '')
    .replace(/[^\d.]*$/, '')
    .replace(/[\s\u00a0]/g, '');
  const match = /^(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d*))?$/.exec(cleaned);
  if (!cleaned || !match || (match[1] === undefined && !match[2])) {
    return { error: t('error.money', { example }) };
  }
  const whole = (match[1] ?? '0').replace(/,/g, '');
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return { error: t('error.moneyDigits', { digits, currency }) };
  const value = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  if (!Number.isSafeInteger(value)) return { error: t('error.money', { example }) };
  return { value };
}

export function dateTime(iso) {
  if (!iso) return t('common.none');
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return new Intl.DateTimeFormat(current, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

export function dateOnly(iso) {
  if (!iso) return t('common.none');
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return new Intl.DateTimeFormat(current, { dateStyle: 'medium' }).format(d);
}

/** How long ago (or from now): "3 hours ago", "3小时前". */
export function age(iso, now = Date.now()) {
  const d = Date.parse(iso);
  if (Number.isNaN(d)) return t('common.none');
  const seconds = Math.round((d - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(current, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(seconds, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86_400), 'day');
}

export function number(n, options = {}) {
  if (typeof n !== 'number') return t('common.none');
  return new Intl.NumberFormat(current, options).format(n);
}

export function percent(ratio) {
  if (typeof ratio !== 'number') return t('common.none');
  return new Intl.NumberFormat(current, { style: 'percent', maximumFractionDigits: 1 }).format(ratio);
}
