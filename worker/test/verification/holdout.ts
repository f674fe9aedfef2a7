/**
 * A second set, written after the extractor was tuned on corpus.ts and never tuned against: its
 * figures are the honest estimate of how the extractor does on mail it has not seen.
 */
import type { Case } from './corpus';

export const HOLDOUT: Case[] = [
  {
    name: 'holdout: gaming platform guard code, html only',
    subject: 'Your Vaporworks account: Access from new computer',
    html: '<table><tr><td><p>Dear gamer_42,</p><p>Here is the Vaporworks Guard code you need to login to account gamer_42:</p></td></tr><tr><td style="font-size:24px;letter-spacing:2px">F7KQ2</td></tr><tr><td><p>This email was generated because of a login attempt from a web or mobile device located at 198.51.100.7 (PT).</p><p>Vaporworks Support, PO Box 1825, Bellevue WA 98009</p></td></tr></table>',
    code: 'F7KQ2',
    link: null,
  },
  {
    name: 'holdout: ride app code with trip fare decoy',
    subject: 'Your Zoomride code',
    text: 'Your Zoomride code is 2281. Never share this code.\n\nLast trip: $23.40 on May 9, 2026, 7:42 PM.',
    code: '2281',
    link: null,
  },
  {
    name: 'holdout: "Enter this code" with code on next line',
    subject: 'Finish signing up for Pebble',
    text: 'Almost done! Enter this code to confirm your email:\n\n318 027\n\nThe code is valid for 30 minutes.\n\nPebble Inc., 77 Rue Oberkampf, 75011 Paris',
    code: '318027',
    link: null,
  },
  {
    name: 'holdout: Chinese bank SMS-style mail with amount',
    subject: '交易验证',
    text: '【星河银行】您尾号6621的卡正在进行网上支付，金额1,280.00元，动态码482901，10分钟内有效，切勿告知他人。',
    code: '482901',
    link: null,
  },
  {
    name: 'holdout: Spanish magic link',
    subject: 'Tu enlace para iniciar sesión',
    html: '<p>Hola,</p><p>Haz clic en el botón para iniciar sesión en Notario:</p><p><a href="https://notario.example/auth/enlace?t=9d8c7b6a5f4e3d2c1b0a">Iniciar sesión</a></p><p>El enlace caduca en 15 minutos.</p><p><a href="https://notario.example/ayuda">Ayuda</a> · <a href="https://notario.example/privacidad">Privacidad</a></p>',
    code: null,
    link: 'https://notario.example/auth/enlace?t=9d8c7b6a5f4e3d2c1b0a',
  },
  {
    name: 'holdout: French account activation',
    subject: 'Activez votre compte',
    html: '<p>Bonjour Claire,</p><p>Merci pour votre inscription. Cliquez ci-dessous pour activer votre compte :</p><p><a href="https://lumiere.example/compte/activer/6b1f2e9a8c7d">Activer mon compte</a></p><p>Lumière SAS – 12 avenue Victor Hugo, 69002 Lyon – Tél. 04 72 00 00 00</p>',
    code: null,
    link: 'https://lumiere.example/compte/activer/6b1f2e9a8c7d',
  },
  {
    name: 'holdout: Russian login link',
    subject: 'Вход в аккаунт',
    html: '<p>Чтобы войти в аккаунт, нажмите на кнопку:</p><p><a href="https://pochta.example/login/link/AbCdEfGhIjKlMnOpQrStUv">Войти</a></p><p>Если это были не вы, просто проигнорируйте это письмо.</p>',
    code: null,
    link: 'https://pochta.example/login/link/AbCdEfGhIjKlMnOpQrStUv',
  },
  {
    name: 'holdout: receipt with many numbers',
    subject: 'Your receipt from Corner Café',
    text: 'Receipt #4471-2290\n2x Flat white  $9.00\n1x Croissant   $4.25\nSubtotal $13.25\nTax $1.16\nTotal $14.41\nVisa •••• 8812 · Auth 771203\nMay 12, 2026 08:14\nThank you! 415-555-0110',
    code: null,
    link: null,
  },
  {
    name: 'holdout: delivery window notice',
    subject: 'Delivery scheduled',
    text: 'Your delivery is scheduled for 14/05/2026 between 10:00 and 12:00.\nParcel number: 00340434161094042557\nPostcode: SW1A 1AA\nManage your delivery: https://parcelgo.example/manage/00340434161094042557',
    code: null,
    link: null,
  },
  {
    name: 'holdout: German security code with customer number decoy',
    subject: 'Sicherheitscode für Ihre Anmeldung',
    text: 'Sehr geehrte Kundin, sehr geehrter Kunde,\n\nIhr Sicherheitscode: 90 41 77\n\nKundennummer: 5521 8803\nBei Fragen: 030 1234567',
    code: '904177',
    link: null,
  },
  {
    name: 'holdout: Japanese one-time password',
    subject: 'ワンタイムパスワードのお知らせ',
    html: '<p>いつもご利用ありがとうございます。</p><p>ワンタイムパスワード：<strong>771904</strong></p><p>有効期限：2026/05/12 10:30</p>',
    code: '771904',
    link: null,
  },
  {
    name: 'holdout: subscription confirmation (double opt-in)',
    subject: 'Please confirm your subscription',
    html: '<p>You (or someone using your address) signed up for the Tinkerer newsletter.</p><p><a href="https://tinkerer.example/subscribe/confirm?id=a1b2c3d4e5f6a7b8c9d0">Yes, subscribe me to this list</a></p><p>If you received this email by mistake, simply delete it.</p>',
    code: null,
    link: 'https://tinkerer.example/subscribe/confirm?id=a1b2c3d4e5f6a7b8c9d0',
  },
  {
    name: 'holdout: Korean order with amount',
    subject: '주문이 완료되었습니다',
    text: '주문번호: 20260512-00881\n결제 금액: 45,900원\n배송 예정일: 2026년 5월 14일\n고객센터 1588-0000',
    code: null,
    link: null,
  },
  {
    name: 'holdout: Portuguese code with phone decoy',
    subject: 'Seu código Vela',
    text: 'Use o código 583201 para entrar no Vela. Dúvidas? Ligue (21) 3003-4000.',
    code: '583201',
    link: null,
  },
];
