/**
 * The verification-extraction test set: realistic messages written for Edgemail (fictional senders),
 * each with the code and link a person would copy, or null. Several languages, HTML-only mail,
 * codes only in the subject, and decoys: prices, dates, phone numbers, order and tracking numbers,
 * promo codes. `corpus.test.ts` builds real MIME from each, parses and scores the extractor.
 */

export interface Case {
  name: string;
  subject: string;
  text?: string;
  html?: string;
  code: string | null;
  link: string | null;
}

/** A plain transactional HTML shell: preheader, logo link, content, footer with address and links. */
function shell(brand: string, site: string, content: string, footer = ''): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>.btn{background:#2563eb;color:#fff;padding:12px 20px;border-radius:6px}
td{font-family:Arial,sans-serif}</style></head><body>
<div style="display:none;max-height:0;overflow:hidden">${brand} account notification</div>
<table role="presentation" width="100%"><tr><td align="center">
<a href="https://${site}/"><img src="https://${site}/logo.png" alt="${brand}" width="120"></a>
</td></tr><tr><td>${content}</td></tr>
<tr><td style="color:#888;font-size:12px">${footer}
<p>© 2026 ${brand} Inc. · 548 Market Street, Suite 300, San Francisco, CA 94104</p>
<p><a href="https://${site}/privacy">Privacy</a> · <a href="https://${site}/terms">Terms</a> · <a href="https://${site}/email/unsubscribe?u=8812731">Unsubscribe</a></p>
</td></tr></table></body></html>`;
}

export const CASES: Case[] = [
  // ── Codes, English ───────────────────────────────────────────────────────────────────────────
  {
    name: 'device verification, text',
    subject: '[Forgehub] Please verify your device',
    text: 'Hey octo-dev!\n\nA sign in attempt requires further verification because we did not recognize your device. To complete the sign in, enter the verification code on the unrecognized device.\n\nDevice: Firefox on Ubuntu\nVerification code: 482913\n\nIf you did not attempt to sign in to your account, your password may be compromised. Visit https://forgehub.example/settings/security to create a new, strong password.\n\nThanks,\nThe Forgehub Team',
    code: '482913',
    link: null,
  },
  {
    name: 'code only in the subject',
    subject: '739204 is your Nimbus verification code',
    text: 'Use the code in the subject line to finish creating your Nimbus account. It expires in 10 minutes.\n\nNimbus Labs, 12 Harbour Road, Dublin D02 X285',
    code: '739204',
    link: null,
  },
  {
    name: 'html-only, big grouped passcode',
    subject: 'Your one-time passcode',
    html: shell(
      'Ledgerly',
      'ledgerly.example',
      `<h1 style="font-size:22px">Your one-time passcode</h1><p>Enter this passcode to continue signing in:</p>
<div style="font-size:32px;letter-spacing:8px;font-weight:bold;text-align:center">615 204</div>
<p>This passcode expires in 15 minutes. Never share it with anyone, including Ledgerly staff.</p>`,
    ),
    code: '615204',
    link: null,
  },
  {
    name: 'login code on its own line, leading zero',
    subject: 'Your Quill login code',
    text: 'Here is your login code:\n\n    093817\n\nThis code expires in 15 minutes. If you did not request it, you can ignore this email.\n\nQuill · 1 Pier 9, Oakland CA 94607 · (510) 555-0147',
    code: '093817',
    link: null,
  },
  {
    name: 'short security code (4 digits)',
    subject: 'Microsoft-style account security code',
    text: 'Please use the following security code for the Contoso account ja***@example.com.\n\nSecurity code: 5812\n\nIf you don\'t recognize the Contoso account ja***@example.com, you can click https://account.contoso.example/remove?code=77812 to remove your email address from that account.\n\nThanks,\nThe Contoso account team',
    code: '5812',
    link: null,
  },
  {
    name: 'bank OTP with amount and date in the same sentence',
    subject: 'Transaction OTP',
    text: 'Dear Customer, OTP for your transaction of INR 4,500.00 at SHOPKART on 12-05-2026 is 884213. Valid for 3 mins. Do not share this OTP with anyone. Call 1800-425-3800 if not initiated by you.',
    code: '884213',
    link: null,
  },
  {
    name: 'code after the number',
    subject: 'Welcome to Parcelly',
    text: '120044 is your Parcelly confirmation code.\n\nYour first shipment ships free. Order before 2026-06-30 to save $15.',
    code: '120044',
    link: null,
  },
  {
    name: 'alphanumeric sign-in code',
    subject: 'Sign in to Driftwood',
    text: 'Your sign-in code is: K7P2QX\n\nEnter it in the window where you started signing in. The code works once and expires in 5 minutes.',
    code: 'K7P2QX',
    link: null,
  },
  {
    name: 'dashed confirmation code and a magic link',
    subject: 'Confirm your email address',
    html: shell(
      'Orbit',
      'orbit.example',
      `<h2>Confirm your email address</h2><p>Your confirmation code is below — enter it in your open browser window and we'll help you get signed in.</p>
<div style="font-size:28px;background:#f4f4f4;padding:16px;text-align:center">FQX-8K2</div>
<p>Or <a class="btn" href="https://orbit.example/x/confirm?token=Z2F0ZXdheS1tYWdpYy1saW5rLTU1MjE5">sign in with this magic link</a>.</p>
<p>If you didn't request this email, there's nothing to worry about — you can safely ignore it.</p>`,
    ),
    code: 'FQX-8K2',
    link: 'https://orbit.example/x/confirm?token=Z2F0ZXdheS1tYWdpYy1saW5rLTU1MjE5',
  },
  {
    name: '2FA code with shipping decoys below',
    subject: 'Your Fastcart code is 551907',
    text: 'Your 2FA code is 551907. Don\'t share it.\n\nRecent order #8812331 — total $45.20 — arriving Tue, May 19.\nQuestions? Call +1 (415) 555-0132.',
    code: '551907',
    link: null,
  },
  {
    name: 'one-time PIN',
    subject: 'Your one-time PIN',
    text: 'Hello,\n\nYour one-time PIN: 4821\n\nIt is valid for 10 minutes.\nSupport: 0800 123 4567',
    code: '4821',
    link: null,
  },
  {
    name: 'html code with address, zip and year in the footer',
    subject: 'Verify your Brightbank login',
    html: shell(
      'Brightbank',
      'brightbank.example',
      `<p>Hi Sam,</p><p>We received a request to sign in to your Brightbank account on a new browser.</p>
<p>Your verification code is <strong style="font-size:20px">330918</strong></p><p>The code expires at 14:45 (UTC) on 05/12/2026.</p>`,
      '<p>Brightbank N.A. Member FDIC. Routing number 121000248.</p>',
    ),
    code: '330918',
    link: null,
  },
  // ── Codes, other languages ───────────────────────────────────────────────────────────────────
  {
    name: 'Chinese (simplified), text',
    subject: '【云盘】验证码',
    text: '您的验证码为：836152，5分钟内有效，请勿泄露给他人。如非本人操作，请忽略本邮件。\n客服电话：400-820-8820',
    code: '836152',
    link: null,
  },
  {
    name: 'Chinese (traditional), html only',
    subject: '帳戶安全通知',
    html: shell('雲端通', 'yunduan.example', '<p>親愛的用戶您好：</p><p>您的驗證碼是 <b>204918</b>，請於 10 分鐘內輸入。</p><p>若非本人操作，請忽略此郵件。</p>'),
    code: '204918',
    link: null,
  },
  {
    name: 'Chinese code in the subject, glued to the keyword',
    subject: '验证码550019（5分钟内有效）',
    html: '<p>尊敬的用户：</p><p>您正在登录小橙账户，验证码<span style="color:#f60;font-size:24px">550019</span>。</p><p>订单查询请拨打 021-6218-8899。</p>',
    code: '550019',
    link: null,
  },
  {
    name: 'Japanese',
    subject: '【サクラID】認証コードのお知らせ',
    text: 'サクラIDをご利用いただきありがとうございます。\n\n認証コード：552013\n\nこのコードの有効期限は10分です。\nお問い合わせ：0120-123-456（平日9:00〜18:00）',
    code: '552013',
    link: null,
  },
  {
    name: 'Korean, code in brackets',
    subject: '[한빛] 인증번호 안내',
    text: '[한빛] 인증번호 [384920]를 입력해주세요.\n본인이 요청하지 않았다면 고객센터 1588-1234로 문의하세요.',
    code: '384920',
    link: null,
  },
  {
    name: 'Korean html',
    subject: '이메일 인증 코드',
    html: '<div><p>안녕하세요,</p><p>요청하신 인증 코드는 다음과 같습니다.</p><p style="font-size:26px;font-weight:700">719305</p><p>코드는 30분 동안 유효합니다.</p></div>',
    code: '719305',
    link: null,
  },
  {
    name: 'Spanish',
    subject: 'Tu código de Viajero',
    text: 'Hola Lucía:\n\nTu código de verificación es 761203. Caduca en 10 minutos.\n\nViajero S.L. · Calle de Alcalá 48, 28014 Madrid',
    code: '761203',
    link: null,
  },
  {
    name: 'Portuguese',
    subject: 'Código de acesso',
    text: 'Olá!\n\nSeu código de acesso: 902144\n\nSe você não solicitou este código, ignore este e-mail.\nCentral: (11) 4004-0001',
    code: '902144',
    link: null,
  },
  {
    name: 'German Bestätigungscode',
    subject: 'Ihr Bestätigungscode',
    text: 'Guten Tag,\n\nIhr Bestätigungscode lautet: 447120\n\nDer Code ist 15 Minuten gültig. Ihre Kundennummer: 10045521.\n\nMit freundlichen Grüßen\nIhr Kontoteam',
    code: '447120',
    link: null,
  },
  {
    name: 'German, plain "Code"',
    subject: 'Anmeldung bei Wolke',
    text: 'Hallo Jonas,\n\nDein Code: 771204\n\nGib ihn auf der Anmeldeseite ein. Viele Grüße, dein Wolke-Team',
    code: '771204',
    link: null,
  },
  {
    name: 'Russian',
    subject: 'Код подтверждения',
    text: 'Здравствуйте!\n\nВаш код подтверждения: 658201\n\nНикому не сообщайте этот код. Служба поддержки: 8 800 555-35-35',
    code: '658201',
    link: null,
  },
  {
    name: 'French grouped code with a space before the colon',
    subject: 'Votre code de vérification',
    text: 'Bonjour,\n\nVotre code de vérification est : 319 744\n\nCe code expire dans 10 minutes.\nService client : 01 23 45 67 89',
    code: '319744',
    link: null,
  },
  {
    name: 'Italian',
    subject: 'Codice di verifica',
    text: 'Ciao Marco,\nil tuo codice di verifica è 553912. Non condividerlo con nessuno.',
    code: '553912',
    link: null,
  },
  {
    name: 'Dutch',
    subject: 'Je verificatiecode',
    text: 'Hoi,\n\nJe verificatiecode is 204411.\n\nGroeten, het Fietsapp-team',
    code: '204411',
    link: null,
  },
  {
    name: 'Polish',
    subject: 'Kod weryfikacyjny',
    text: 'Twój kod weryfikacyjny to 661230. Kod jest ważny przez 10 minut.',
    code: '661230',
    link: null,
  },
  {
    name: 'Turkish',
    subject: 'Doğrulama kodu',
    text: 'Merhaba,\n\nDoğrulama kodunuz: 308812\n\nBu kodu kimseyle paylaşmayın.',
    code: '308812',
    link: null,
  },
  {
    name: 'Arabic',
    subject: 'رمز التحقق',
    text: 'مرحباً،\nرمز التحقق الخاص بك هو 448120\nلا تشارك هذا الرمز مع أي شخص.',
    code: '448120',
    link: null,
  },
  // ── Links ────────────────────────────────────────────────────────────────────────────────────
  {
    name: 'confirm email button, html only, with logo/privacy/unsubscribe links',
    subject: 'Confirm your email for Tidepool',
    html: shell(
      'Tidepool',
      'tidepool.example',
      `<h1>Welcome to Tidepool!</h1><p>Please confirm your email address to finish setting up your account.</p>
<p><a class="btn" href="https://tidepool.example/account/confirm-email?t=c4f1e7a9b2d84e6f9a1c3b5d7e9f0a2b">Confirm email address</a></p>
<p>Questions? <a href="https://tidepool.example/help">Visit our help center</a>.</p>`,
    ),
    code: null,
    link: 'https://tidepool.example/account/confirm-email?t=c4f1e7a9b2d84e6f9a1c3b5d7e9f0a2b',
  },
  {
    name: 'magic sign-in link, text only',
    subject: 'Sign in to Quillnote',
    text: 'Click the link below to sign in to Quillnote:\n\nhttps://quillnote.example/auth/magic?token=eyJ0eXAiOiJKV1QiLCJhbGciOi.J9eyJzdWIiOiI0NTYifQ\n\nThis link expires in 10 minutes and can only be used once.\n\nUnsubscribe from product news: https://quillnote.example/unsubscribe?id=99812',
    code: null,
    link: 'https://quillnote.example/auth/magic?token=eyJ0eXAiOiJKV1QiLCJhbGciOi.J9eyJzdWIiOiI0NTYifQ',
  },
  {
    name: 'password reset, both parts',
    subject: 'Reset your password',
    text: 'Someone requested a password reset for your Lumen account.\n\nReset your password: https://lumen.example/reset-password/3e9b1c77a0f54d2b8c6e\n\nIf you didn\'t request this, ignore this email. Need help? https://lumen.example/support',
    html: shell(
      'Lumen',
      'lumen.example',
      `<p>Someone requested a password reset for your Lumen account.</p><p><a class="btn" href="https://lumen.example/reset-password/3e9b1c77a0f54d2b8c6e">Reset your password</a></p>
<p>If you didn't request this, ignore this email. <a href="https://lumen.example/support">Need help?</a></p>`,
    ),
    code: null,
    link: 'https://lumen.example/reset-password/3e9b1c77a0f54d2b8c6e',
  },
  {
    name: 'workspace invitation',
    subject: 'Alice invited you to Orbit',
    html: shell(
      'Orbit',
      'orbit.example',
      `<p><b>Alice Chen</b> (alice@acme.example) has invited you to join the <b>Acme Design</b> workspace on Orbit.</p>
<p><a class="btn" href="https://orbit.example/invite/accept/8fK2pLq9Zr4TxW1mN7bV">Accept invitation</a></p><p>This invitation expires in 7 days.</p>`,
    ),
    code: null,
    link: 'https://orbit.example/invite/accept/8fK2pLq9Zr4TxW1mN7bV',
  },
  {
    name: '"click here" link with the action in the sentence',
    subject: 'Activate your Pixelhut account',
    html: '<p>Thanks for signing up!</p><p>To activate your account, <a href="https://pixelhut.example/activate?key=a81f0c2e9d7b44e1b6f2">click here</a>.</p><p>Pixelhut, 3 Rue des Lilas, 75011 Paris</p>',
    code: null,
    link: 'https://pixelhut.example/activate?key=a81f0c2e9d7b44e1b6f2',
  },
  {
    name: 'German password reset',
    subject: 'Passwort zurücksetzen',
    html: shell(
      'Wolke',
      'wolke.example',
      '<p>Hallo,</p><p>du hast angefordert, dein Passwort zurückzusetzen.</p><p><a class="btn" href="https://wolke.example/passwort/neu?token=Qm9vMTIzNDU2Nzg5MGFiY2RlZg">Passwort zurücksetzen</a></p><p>Der Link ist 60 Minuten gültig.</p>',
      '<p><a href="https://wolke.example/impressum">Impressum</a> · <a href="https://wolke.example/datenschutz">Datenschutz</a></p>',
    ),
    code: null,
    link: 'https://wolke.example/passwort/neu?token=Qm9vMTIzNDU2Nzg5MGFiY2RlZg',
  },
  {
    name: 'Spanish confirmation button',
    subject: 'Confirma tu correo',
    html: shell(
      'Viajero',
      'viajero.example',
      '<p>¡Hola!</p><p>Solo falta un paso: confirma tu dirección de correo electrónico.</p><p><a class="btn" href="https://viajero.example/cuenta/confirmar/7c1d9e2f4a6b">Confirmar correo electrónico</a></p>',
      '<p><a href="https://viajero.example/baja?e=lucia%40example.com">Darse de baja</a></p>',
    ),
    code: null,
    link: 'https://viajero.example/cuenta/confirmar/7c1d9e2f4a6b',
  },
  {
    name: 'Japanese confirmation button',
    subject: 'メールアドレスのご確認',
    html: '<p>ご登録ありがとうございます。</p><p>以下のボタンからメールアドレスを確認してください。</p><p><a href="https://sakura-id.example/verify/mail?c=5f2b8e1d9a7c3e4f">メールアドレスを確認する</a></p><p>配信停止は<a href="https://sakura-id.example/mail/stop">こちら</a></p>',
    code: null,
    link: 'https://sakura-id.example/verify/mail?c=5f2b8e1d9a7c3e4f',
  },
  {
    name: 'Chinese login link',
    subject: '登录确认',
    html: '<p>您好，我们收到了您的登录请求。</p><p><a href="https://xiaocheng.example/login/confirm?ticket=Tk9QUVJTVFVWV1hZWjEyMzQ1Ng">确认登录</a></p><p>如非本人操作，请忽略本邮件。</p>',
    code: null,
    link: 'https://xiaocheng.example/login/confirm?ticket=Tk9QUVJTVFVWV1hZWjEyMzQ1Ng',
  },
  {
    name: 'code and a verify link together',
    subject: 'Verify your Snowline account',
    text: 'Welcome to Snowline!\n\nYour verification code is 226618.\n\nOr verify by opening this link:\nhttps://snowline.example/verify?email=sam%40example.com&code=226618\n\nSnowline · Unsubscribe: https://snowline.example/u/2231',
    code: '226618',
    link: 'https://snowline.example/verify?email=sam%40example.com&code=226618',
  },
  // ── Decoys: nothing to extract ───────────────────────────────────────────────────────────────
  {
    name: 'order confirmation with total, date, phone',
    subject: 'Order #1048822 confirmed',
    html: shell(
      'Shopkart',
      'shopkart.example',
      `<p>Thanks for your order!</p><table><tr><td>Order number</td><td>1048822</td></tr><tr><td>Order date</td><td>2026-05-12</td></tr>
<tr><td>Total</td><td>$129.99</td></tr><tr><td>Estimated delivery</td><td>May 18, 2026</td></tr></table>
<p><a class="btn" href="https://shopkart.example/orders/1048822">View your order</a></p><p>Questions? Call 1-800-555-0199.</p>`,
    ),
    code: null,
    link: null,
  },
  {
    name: 'invoice with amounts and dates',
    subject: 'Invoice INV-20260412 from Cloudhost',
    text: 'Hello,\n\nYour invoice INV-20260412 for April 2026 is ready.\n\nAmount due: €2,450.00\nDue date: 30/04/2026\nCustomer number: 884120\n\nDownload your invoice: https://cloudhost.example/billing/invoices/20260412.pdf\n\nCloudhost GmbH, Friedrichstraße 68, 10117 Berlin',
    code: null,
    link: null,
  },
  {
    name: 'shipping notice with tracking code',
    subject: 'Your package is on its way',
    text: 'Good news! Your package has shipped.\n\nTracking code: 1Z999AA10123456784\nCarrier: UPS\nEstimated delivery: Thursday 05/21/2026 by 8:00 pm\n\nTrack your package: https://shopkart.example/track/1Z999AA10123456784',
    code: null,
    link: null,
  },
  {
    name: 'promo code newsletter',
    subject: 'Spring sale: 20% off everything',
    html: shell(
      'Threadly',
      'threadly.example',
      '<h1>Spring sale</h1><p>Use code SAVE2026 at checkout for 20% off. Offer ends 05/31/2026.</p><p><a href="https://threadly.example/sale">Shop now</a></p>',
    ),
    code: null,
    link: null,
  },
  {
    name: 'welcome coupon with "use code"',
    subject: 'Welcome to Beanbox',
    text: 'Thanks for subscribing! Use code WELCOME10 for 10% off your first bag.\n\nBeanbox Coffee, 221 Pine St, Seattle WA 98101 · (206) 555-0175',
    code: null,
    link: null,
  },
  {
    name: 'sign-in alert without a code',
    subject: 'New sign-in to your account',
    html: shell(
      'Forgehub',
      'forgehub.example',
      '<p>We noticed a new sign-in to your Forgehub account.</p><p>Time: 12 May 2026 10:42 UTC<br>Location: Lisbon, Portugal<br>IP address: 203.0.113.42</p><p><a href="https://forgehub.example/settings/sessions">Review active sessions</a></p><p>If this wasn\'t you, <a href="https://forgehub.example/security/lock?s=88123">secure your account</a>.</p>',
    ),
    code: null,
    link: null,
  },
  {
    name: 'newsletter with read-more links',
    subject: 'This week in edge computing',
    html: shell(
      'Edge Weekly',
      'edgeweekly.example',
      '<h2>1. Durable state at the edge</h2><p>How teams moved 4,000 requests per second to regional storage.</p><p><a href="https://edgeweekly.example/2026/05/durable-state">Read more</a></p><h2>2. Cold starts in 2026</h2><p><a href="https://edgeweekly.example/2026/05/cold-starts">Read more</a></p>',
    ),
    code: null,
    link: null,
  },
  {
    name: 'Chinese shipping notice with order, waybill and promo code',
    subject: '您的订单已发货',
    text: '您的订单 2026051288 已发货，运单号 SF1234567890。\n订单金额：¥299.00\n下次购物使用优惠码 VIP2026 立减20元。\n客服电话：400-820-8820',
    code: null,
    link: null,
  },
  {
    name: 'Russian order with promo code',
    subject: 'Заказ оформлен',
    text: 'Заказ № 558812 на сумму 4 990 ₽ оформлен.\nДата доставки: 14.05.2026.\nПромокод SALE15 на следующую покупку.',
    code: null,
    link: null,
  },
  {
    name: 'Japanese order with coupon code',
    subject: 'ご注文ありがとうございます',
    text: 'ご注文番号：250512-0041\n合計金額：¥3,980（税込）\nお届け予定日：2026年5月14日\nクーポンコード SPRING20 をご利用いただけます。',
    code: null,
    link: null,
  },
  {
    name: 'booking with reference and booking code',
    subject: 'Your flight booking',
    text: 'Your booking code: QX7T2M\nFlight FR 8841 Dublin → Lisbon, 14 May 2026, departs 06:25, gate closes 05:55.\nSeat 14C. Total paid: €89.99',
    code: null,
    link: null,
  },
  {
    name: 'account statement mentioning a PIN',
    subject: 'Your May statement',
    text: 'Your statement for card ending 4421 is ready.\nStatement balance: $1,234.56. Minimum payment due 06/15/2026.\nReminder: we will never ask for your PIN by email.',
    code: null,
    link: null,
  },
  {
    name: 'meeting reminder with times and a phone bridge',
    subject: 'Reminder: Design review at 14:30',
    text: 'Design review\nThursday, May 14, 2026 · 14:30–15:30 (CEST)\nRoom 4120, Building 2\nDial-in: +49 30 1234 5678, conference ID 8841 2290#\nAgenda: Q2 roadmap, budget 2026',
    code: null,
    link: null,
  },
  {
    name: 'error report with status code',
    subject: 'Deployment failed',
    text: 'Your deployment dpl_8812 failed with error code 5013 at 2026-05-12 09:14 UTC.\nBuild log: https://ci.example/builds/88123\nHTTP status code 502 from origin.',
    code: null,
    link: null,
  },
];
