/**
 * The words that announce a one-time code or a sign-in link, and the words that announce a number
 * that only looks like one (an order number, a price, a phone). Several languages, matched
 * case-insensitively; scripts without word spaces (Chinese, Japanese) are matched as substrings.
 */

/** "verification code", "OTP", "验证码": the number next to these is almost surely the code. */
const STRONG_CODE_WORDS = [
  // English
  'verification code', 'verify code', 'confirmation code', 'security code', 'login code', 'log-in code', 'sign-in code',
  'sign in code', 'signin code', 'access code', 'authentication code', 'auth code', 'one-time code', 'one time code',
  'one-time password', 'one time password', 'one-time passcode', 'passcode', 'otp', '2fa code', 'two-factor code',
  'single-use code', 'temporary code', 'activation code', 'magic code',
  // German
  'bestätigungscode', 'verifizierungscode', 'sicherheitscode', 'anmeldecode', 'einmalcode', 'einmalpasswort',
  'aktivierungscode', 'zugangscode', 'prüfcode',
  // Spanish / Portuguese
  'código de verificación', 'código de seguridad', 'código de confirmación', 'código de acceso', 'código de inicio de sesión',
  'código de verificação', 'código de segurança', 'código de confirmação', 'código de acesso',
  // French / Italian / Dutch / Polish / Turkish
  'code de vérification', 'code de sécurité', 'code de confirmation', 'code de connexion', "code d'accès", 'code à usage unique',
  'codice di verifica', 'codice di sicurezza', 'codice di conferma', "codice d'accesso", 'verificatiecode', 'beveiligingscode',
  'kod weryfikacyjny', 'kod jednorazowy', 'doğrulama kodu', 'doğrulama kodunuz', 'onay kodunuz',
  // Arabic
  'رمز التحقق', 'رمز التأكيد', 'رمز الأمان', 'كلمة المرور لمرة واحدة',
  // Russian / Ukrainian
  'код подтверждения', 'код проверки', 'код верификации', 'код безопасности', 'одноразовый код', 'код для входа', 'код доступа',
  'код підтвердження',
  // Chinese
  '验证码', '驗證碼', '校验码', '校驗碼', '动态码', '動態碼', '动态密码', '一次性密码', '确认码', '確認碼', '安全码', '登录码', '认证码', '認證碼',
  // Japanese
  '認証コード', '確認コード', '認証番号', '確認番号', 'ワンタイムパスワード', 'ワンタイムコード', 'セキュリティコード', 'ログインコード', '検証コード',
  // Korean
  '인증번호', '인증 번호', '인증코드', '인증 코드', '확인 코드', '확인코드', '보안 코드', '보안코드', '일회용 비밀번호',
];

/** Words that point at a code only together with other signals ("Your code:", "PIN", "код"). */
const WEAK_CODE_WORDS = ['code', 'pin', 'token', 'código', 'codigo', 'codice', 'kod', 'kodu', 'kodunuz', 'kode', 'код', 'コード', '코드', '码', '碼', 'رمز'];

/**
 * "promo code", "zip code", "error code": a code word that names something else. Checked on the
 * words right before (or, for a few languages, after) the code word.
 */
const FALSE_CODE_PREFIX =
  /(promo|promotional|promotion|discount|coupon|voucher|gift|gift card|referral|invite|invitation|tracking|zip|postal|post|area|country|error|status|source|product|item|sku|tax|booking|reservation|rabatt|gutschein|aktions|fehler|post|descuento|promocional|postal|promo|réduction|promotionnel|sconto|промо|почтовый|скидочный|优惠|折扣|邮政|邮编|郵便|クーポン|割引|할인|쿠폰|우편)[\s-]*$/i;

/**
 * Words that make a nearby number something other than a code. Deliberately specific: "number"
 * alone is not here, since "your verification number is" is common.
 */
export const DECOY_CONTEXT = new RegExp(
  [
    'order', 'invoice', 'receipt', 'tracking', 'shipment', 'parcel', 'package', 'reference', '\\bref\\b', 'confirmation number', 'booking',
    'reservation', 'account (?:no|number)', 'customer (?:no|number|id)', 'member(?:ship)? (?:no|number|id)', 'ticket', 'case', 'flight',
    'total', 'subtotal', 'amount', 'price', 'balance', 'paid', 'charged', 'refund', 'payment', 'cost', 'due', 'fee',
    'phone', 'tel\\b', 'telephone', 'mobile', 'call us', 'call', 'fax', 'whatsapp', 'hotline', 'sms to',
    'zip', 'postal', 'postcode', 'suite', 'street', '\\bst\\b', 'avenue', '\\bave\\b', 'road', 'floor', 'building', 'p\\.?o\\.? box',
    'year', 'since', 'copyright', '©', 'version', 'model', 'sku', 'item', 'qty', 'quantity', 'points', 'miles', 'room', 'seat', 'gate',
    'bestellnummer', 'bestellung', 'rechnung', 'sendungsnummer', 'betrag', 'summe', 'telefon', 'postleitzahl', 'kundennummer',
    'pedido', 'factura', 'importe', 'precio', 'teléfono', 'telefono', 'envío', 'commande', 'facture', 'montant', 'téléphone', 'ordine',
    'fattura', 'importo', 'bestelling', 'factuur', 'zamówienie', 'заказ', 'счёт', 'счет', 'сумма', 'телефон', 'итого', 'трек',
    '订单', '訂單', '单号', '單號', '运单', '快递', '金额', '金額', '合计', '总计', '电话', '電話', '邮编', '发票',
    '注文', '請求', '合計', '金額', '配送', '追跡', '郵便番号', '電話番号', '주문', '금액', '합계', '결제', '배송', '운송장', '전화', '우편번호',
  ].join('|'),
  'i',
);

/** Currency symbols and codes: a number right after or before one of these is money. */
export const CURRENCY = /[$€£¥₹₽₩₺₴¢]|\b(?:usd|eur|gbp|jpy|cny|rmb|chf|cad|aud|inr|rub|krw|brl|mxn)\b|元|円|руб|рублей|원|zł|kr\b|r\$/i;

function alternation(words: string[]): string {
  // Longest first, so "verification code" wins over "code".
  return [...words].sort((a, b) => b.length - a.length).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s*')).join('|');
}

/** Latin words need word boundaries ("pin" is not in "spinning"); CJK words cannot have them. */
function keywordPattern(words: string[]): RegExp {
  const latin = words.filter((w) => /^[\p{Script=Latin}\p{Script=Cyrillic}\d\s'-]+$/u.test(w));
  const other = words.filter((w) => !latin.includes(w));
  const parts = [`(?<![\\p{L}\\p{N}])(?:${alternation(latin)})(?![\\p{L}\\p{N}])`];
  if (other.length > 0) parts.push(`(?:${alternation(other)})`);
  return new RegExp(parts.join('|'), 'giu');
}

const STRONG = keywordPattern(STRONG_CODE_WORDS);
const WEAK = keywordPattern(WEAK_CODE_WORDS);

export interface KeywordHit {
  start: number;
  end: number;
  strong: boolean;
}

/** Every code word in `text`, strong ones preferred where they overlap weak ones. */
export function findCodeWords(text: string): KeywordHit[] {
  const hits: KeywordHit[] = [];
  for (const m of text.matchAll(STRONG)) hits.push({ start: m.index, end: m.index + m[0].length, strong: true });
  const strongCount = hits.length;
  // Both lists come in text order: one pass finds the strong word a weak one may sit inside.
  let next = 0;
  for (const m of text.matchAll(WEAK)) {
    const start = m.index;
    const end = start + m[0].length;
    while (next < strongCount && hits[next]!.end <= start) next++;
    if (next < strongCount && hits[next]!.start < end) continue;
    if (namesSomethingElse(text, start)) continue;
    hits.push({ start, end, strong: false });
  }
  return hits.sort((a, b) => a.start - b.start);
}

/**
 * Whether `findCodeWords(text)` would find anything, stopping at the first word: the check every
 * received message goes through, most of which have no code word at all.
 */
export function hasCodeWord(text: string): boolean {
  for (const _ of text.matchAll(STRONG)) return true;
  // With no strong word in the text, no weak one can sit inside one.
  for (const m of text.matchAll(WEAK)) if (!namesSomethingElse(text, m.index)) return true;
  return false;
}

/** "promo code", "zip code": the words right before a weak code word make it name something else. */
const namesSomethingElse = (text: string, start: number) => FALSE_CODE_PREFIX.test(text.slice(Math.max(0, start - 24), start));

/** Action words of a sign-in or confirmation link, in its label, its context or its URL. */
export const LINK_ACTION = new RegExp(
  [
    'verify', 'verification', 'confirm', 'activate', 'activation', 'validate', 'sign[\\s-]?in', 'log[\\s-]?in', 'magic link', 'reset (?:your )?password',
    'set (?:your |a )?password', 'choose a password', 'create (?:your |a )?password', 'accept (?:the )?invit', 'join', 'complete (?:your )?(?:registration|sign[\\s-]?up)',
    'finish (?:signing|setting)', 'authenticate', 'authorize', 'approve', 'continue to', 'open (?:the )?app',
    'bestätigen', 'verifizieren', 'anmelden', 'einloggen', 'aktivieren', 'passwort zurücksetzen', 'einladung annehmen',
    'confirmar', 'verificar', 'iniciar sesión', 'acceder', 'activar', 'restablecer', 'entrar',
    'confirmer', 'vérifier', 'se connecter', 'connexion', 'activer', 'réinitialiser', 'conferma', 'verifica', 'accedi', 'attiva', 'bevestig',
    'подтверд', 'войти', 'вход', 'актив', 'сбросить', 'восстановить',
    '验证', '驗證', '确认', '確認', '激活', '启用', '登录', '登入', '登錄', '重置密码', '重設密碼',
    '認証', 'ログイン', 'サインイン', '有効化', '再設定', '인증', '확인', '로그인', '활성화', '재설정',
  ].join('|'),
  'i',
);

/** What a sign-in or confirmation URL tends to contain. */
export const LINK_URL_ACTION =
  /verif|confirm|activat|validat|magic|log-?in|sign-?in|signin|auth|otp|reset|password|invit|token=|code=|callback|email[-_]?link|onboard|account\/(?:setup|new)|welcome\/confirm/i;

/** Links that are never the one a person wants: leaving the list, legal pages, social profiles. */
export const LINK_NEGATIVE =
  /unsubscri|opt[-_ ]?out|list-manage|preferences|email[-_ ]?settings|notification[-_ ]?settings|manage[-_ ]?(?:subscription|notification|email)|privacy|datenschutz|impressum|terms|legal|cookie|help|support|faq|contact|report|abuse|feedback|survey|view[-_ ]?in[-_ ]?browser|web[-_ ]?version|view online|abmelden|abbestellen|darse de baja|désinscri|désabonner|disiscriv|отписат|退订|退訂|取消订阅|配信停止|수신\s*거부|not you|wasn'?t you|didn'?t request|secure (?:your )?account|block|report/i;

/** Message-level words that make a sign-in/confirmation link likely. */
export const LINK_CONTEXT = new RegExp(
  [
    'verify', 'confirm', 'activate', 'sign in', 'log in', 'login', 'magic link', 'reset', 'password', 'invitation', 'invited',
    'bestätig', 'anmeld', 'confirma', 'verifica', 'connexion', 'подтверд', 'войти', '验证', '确认', '登录', '認証', '確認', 'ログイン', '인증', '로그인',
  ].join('|'),
  'i',
);
