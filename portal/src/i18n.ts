/**
 * What members read, in French (the seed guide's wording) and English. The API's own messages
 * (`message` in its answers) are shown as they come, in the language asked with Accept-Language.
 */
import type { Language } from '../../lambdas/domain/language.ts';

export type { Language };

const fr = {
  appName: 'Espace adhérent',
  skip: 'Aller au contenu',
  help: 'Aide',
  switchTo: 'English',
  supportLabel: 'Service clients :',
  supportWrite: 'Nous écrire',
  supportNone: 'Service clients : contactez votre mutuelle.',
  helpContactQ: 'Contacter le service clients',
  errorSummary: 'Le formulaire contient des erreurs :',
  show: 'Afficher',
  hide: 'Masquer',
  showLabel: 'Afficher le mot de passe « {field} »',
  required: 'obligatoire',
  nirLabel: 'N° de Sécurité Sociale',
  nirHint:
    '15 caractères, clé comprise, comme sur votre carte Vitale ou vos décomptes. Je vérifie que j’ai saisi correctement le n° SS.',
  nirInvalid:
    'Le n° de sécurité sociale n’est pas valide. Vérifiez que vous l’avez saisi correctement : 15 caractères, clé comprise.',
  nirLength: 'Le n° de sécurité sociale compte 15 caractères, clé comprise : vous en avez saisi {n}.',
  nirCharacters: 'Le n° de sécurité sociale ne contient que des chiffres (2A ou 2B pour un assuré né en Corse).',
  nirKey:
    'Les 2 derniers chiffres (la clé) ne correspondent pas aux 13 premiers : un chiffre a sans doute été mal saisi. Vérifiez-le sur votre carte Vitale.',
  codeLabel: 'Mot de passe (6 chiffres)',
  codeHint: 'Je vérifie que mon mot de passe est bien sur 6 chiffres.',
  codeFormat: 'Le mot de passe doit comporter exactement 6 chiffres.',
  loginTitle: 'Connexion à votre espace adhérent',
  loginIntro: 'Je saisis mes identifiants. Je les trouve sur mes décomptes ou sur ma carte de tiers payant.',
  loginSubmit: 'Se connecter',
  forgotLink: 'Vous avez oublié votre code d’accès ou vous souhaitez l’obtenir ?',
  firstLink: 'Première connexion : personnaliser mon mot de passe',
  changeTitle: 'Modifier son mot de passe',
  changeIntro:
    'Si je ne me suis jamais connecté(e) au site, je personnalise mon mot de passe sur 6 chiffres, puis je me reconnecte avec mon nouveau mot de passe.',
  currentLabel: 'Mot de passe actuel',
  currentHint: 'Identifiant du décompte ou mot de passe reçu par courrier.',
  newLabel: 'Nouveau mot de passe (6 chiffres)',
  newHint: 'Mon nouveau mot de passe à 6 chiffres. Évitez les suites, répétitions, dates et chiffres de votre n° SS.',
  confirmLabel: 'Confirmation nouveau mot de passe (6 chiffres)',
  confirmHint: 'Mon nouveau mot de passe, pour vérification.',
  weakCode:
    'Ce mot de passe est trop facile à deviner (suite, répétition, date ou chiffres de votre n° SS) : choisissez-en un autre.',
  mismatch: 'La confirmation ne correspond pas au nouveau mot de passe.',
  changeSubmit: 'Valider',
  termsTitle: 'Conditions générales d’utilisation',
  termsIntro:
    'Pour accéder à votre espace, vous devez accepter les conditions générales d’utilisation du site (version {version}).',
  termsRead: 'Lire les conditions générales d’utilisation (version {version}, nouvel onglet)',
  termsCheckbox: 'J’ai lu et j’accepte les conditions générales d’utilisation',
  termsRequired: 'Cochez la case pour accepter les conditions générales d’utilisation.',
  termsSubmit: 'Accepter les conditions générales d’utilisation',
  termsStale: 'La page a expiré : reconnectez-vous pour accepter les conditions.',
  forgotTitle: 'Vous avez oublié votre code d’accès ?',
  forgotIntro:
    'Je trouve mes identifiants sur mes décomptes ou sur ma carte de tiers payant. Sinon, je demande un nouveau mot de passe :',
  forgotEmail:
    'Si j’ai une adresse mail connue, je reçois en quelques minutes un mail de réinitialisation ; je clique sur le lien figurant dans le mail et je crée un mot de passe personnalisé à 6 chiffres.',
  forgotLetter: 'Si mon adresse mail n’est pas connue, je reçois un courrier sous 48 heures avec mon mot de passe.',
  forgotSubmit: 'Demander un nouveau mot de passe',
  forgotNoMail:
    'Dans le cas où je ne reçois pas le mail, je contacte le service clients qui m’adressera un nouveau mot de passe par courrier.',
  backToLogin: 'Retour à la connexion',
  resetTitle: 'Créer mon mot de passe personnalisé',
  resetIntro: 'Je saisis mon n° de Sécurité Sociale et je choisis un mot de passe personnalisé à 6 chiffres.',
  resetNoToken: 'Ce lien est incomplet. Ouvrez le lien du mail tel quel, ou demandez un nouveau mot de passe.',
  resetSubmit: 'Enregistrer mon mot de passe',
  deviceTitle: 'Vérification de votre appareil',
  deviceStale: 'Cette vérification n’est plus en cours. Reconnectez-vous pour recevoir un nouveau code.',
  deviceCodeLabel: 'Code reçu par mail (6 chiffres)',
  deviceCodeHint: 'Le code est valable 10 minutes. Je peux le copier-coller depuis le mail.',
  deviceCodeFormat: 'Le code reçu par mail comporte exactement 6 chiffres.',
  rememberDevice: 'Se souvenir de cet appareil',
  rememberDeviceHint:
    'Vous ne recevrez plus de code par mail en vous connectant depuis cet appareil. Ne cochez pas sur un ordinateur partagé.',
  rememberDeviceWithoutMailboxHint:
    'Seulement si aucune adresse mail n’est enregistrée pour vous : cet appareil sera reconnu à vos prochaines connexions. Ne cochez pas sur un ordinateur partagé.',
  rememberDeviceAfterResetHint:
    'Le lien vient de prouver votre adresse mail : vous ne recevrez pas de code par mail en vous connectant depuis cet appareil. Ne cochez pas sur un ordinateur partagé.',
  deviceSubmit: 'Valider',
  deviceExpired: 'Ce code n’est plus valable (10 minutes, ou 3 essais). Reconnectez-vous pour en recevoir un nouveau.',
  deviceResend: 'Je n’ai pas reçu le code : me reconnecter pour en recevoir un nouveau',
  deviceHelp: 'Aide à la connexion',
  securityLink: 'Sécurité : mes appareils et mes connexions',
  myCodeLink: 'Changer mon mot de passe',
  myCodeTitle: 'Changer mon mot de passe',
  myCodeIntro:
    'Saisissez votre mot de passe actuel, puis le nouveau. Vous restez connecté(e) sur cet appareil ; partout ailleurs, votre espace est fermé et les appareils reconnus devront être validés de nouveau.',
  myCodeCurrentLabel: 'Mot de passe actuel',
  myCodeCurrentHint: 'Le mot de passe à 6 chiffres avec lequel vous vous êtes connecté(e).',
  myCodeSubmit: 'Changer mon mot de passe',
  myCodeDone: 'Votre mot de passe a été changé. Vos autres connexions ont été fermées.',
  securityTitle: 'Sécurité',
  securityIntro:
    'Voici où votre espace adhérent est ouvert, et les appareils qui se connectent sans code par mail. Si vous ne reconnaissez pas l’un d’eux, déconnectez-le et changez votre mot de passe.',
  sessionsTitle: 'Mes connexions en cours',
  unknownBrowser: 'Navigateur inconnu',
  thisDevice: 'cet appareil (c’est moi)',
  sessionStarted: 'Ouverte le',
  lastUsed: 'Dernière utilisation',
  ipAddress: 'Adresse IP',
  endSession: 'Déconnecter',
  endSessionNamed: 'Déconnecter — {device}, ouverte le {date}',
  sessionEnded: 'La connexion a été fermée.',
  endOthers: 'Se déconnecter partout ailleurs',
  othersEnded: 'Toutes vos autres connexions ont été fermées, et vos autres appareils de confiance oubliés.',
  securityPasskeysTitle: 'Mes clés d’accès',
  securityPasskeysIntro:
    'Ces clés d’accès ouvrent votre espace sans mot de passe. Une clé que vous ne reconnaissez pas ? Supprimez-la depuis « Mes clés d’accès », ou choisissez un nouveau mot de passe avec « Mot de passe oublié » : toutes les clés d’accès seront supprimées.',
  securityPasskeysManage: 'Gérer mes clés d’accès',
  devicesTitle: 'Mes appareils de confiance',
  devicesIntro: 'Ces appareils se connectent avec votre mot de passe, sans code par mail.',
  noDevice: 'Aucun appareil de confiance pour le moment.',
  trustedSince: 'De confiance depuis le',
  forgetDevice: 'Oublier cet appareil',
  forgetDeviceNamed: 'Oublier cet appareil — {device}, depuis le {date}',
  deviceForgotten:
    'L’appareil a été oublié, et ses connexions fermées : il devra de nouveau saisir un code reçu par mail.',
  notYou:
    'Un appareil ou une connexion que vous ne reconnaissez pas ? Changez votre mot de passe : toutes les connexions et tous les appareils de confiance seront fermés.',
  backToHome: 'Retour à mon espace',
  passkeySignIn: 'Se connecter avec une clé d’accès',
  passkeyOfferTitle: 'Connectez-vous plus simplement',
  passkeyOffer:
    'Créez une clé d’accès : la prochaine fois, vous vous connecterez avec le déverrouillage de cet appareil, sans mot de passe à saisir.',
  passkeyOr: 'Ou, sans saisir de mot de passe :',
  passkeysLink: 'Mes clés d’accès : me connecter sans mot de passe',
  passkeysTitle: 'Mes clés d’accès',
  passkeysIntro:
    'Une clé d’accès vous connecte avec le déverrouillage de votre téléphone ou de votre ordinateur (empreinte, visage, code de l’appareil) : rien à retenir, rien à saisir, et elle ne fonctionne que sur le vrai site de votre mutuelle.',
  noPasskey: 'Vous n’avez pas encore de clé d’accès.',
  passkeyAddTitle: 'Créer une clé d’accès sur cet appareil',
  passkeyName: 'Nom de la clé d’accès',
  passkeyNameHint: 'Pour la reconnaître, par exemple « Téléphone » ou « Ordinateur du salon ».',
  passkeyDefaultName: 'Clé d’accès',
  passkeyCreate: 'Créer une clé d’accès',
  passkeyCreated: 'Votre clé d’accès est créée. Vous pourrez l’utiliser à votre prochaine connexion.',
  passkeyCreatedOn: 'Créée le',
  passkeyCancelled: 'La clé d’accès n’a pas été créée (demande annulée ou refusée par l’appareil).',
  passkeyUnsupported: 'Ce navigateur ne permet pas de créer une clé d’accès.',
  passkeyNewName: 'Nouveau nom',
  passkeyNameRequired: 'Donnez un nom à la clé d’accès.',
  passkeyRename: 'Renommer',
  passkeyRenamed: 'La clé d’accès a été renommée.',
  passkeyDelete: 'Supprimer',
  passkeyDeleteNamed: 'Supprimer la clé d’accès « {name} »',
  passkeyDeleted: 'La clé d’accès a été supprimée.',
  passkeyKind: 'Type',
  passkeySynced: 'synchronisée entre vos appareils',
  passkeyDeviceBound: 'sur un seul appareil',
  passkeyNeverUsed: 'jamais',
  passkeyOnlyTitle: 'Clé d’accès uniquement',
  passkeyOnly: 'Ne plus accepter mon mot de passe : me connecter uniquement avec une clé d’accès',
  passkeyOnlyHint:
    'Si vous perdez vos clés d’accès, « Mot de passe oublié » (lien par mail ou courrier) réactive la connexion par mot de passe.',
  passkeyOnlySave: 'Enregistrer ce choix',
  codeSignInOff: 'Votre mot de passe n’ouvre plus votre espace : connectez-vous avec une clé d’accès.',
  codeSignInOn: 'La connexion par mot de passe est de nouveau possible.',
  homeTitle: 'Mon espace',
  hello: 'Bonjour {name}',
  nirFact: 'N° de Sécurité Sociale',
  emailFact: 'Adresse mail enregistrée',
  yes: 'oui',
  no: 'non — en cas d’oubli, le nouveau mot de passe arrive par courrier',
  logout: 'Se déconnecter',
  signedOut: 'Vous êtes déconnecté(e). À bientôt.',
  lockedTitle: 'Trop de tentatives',
  lockedBody: 'Par sécurité, la connexion est suspendue. Vous pourrez réessayer à {time}, dans {duration}.',
  minuteOne: '1 minute',
  minuteMany: '{n} minutes',
  lockedHelp:
    'Si vous avez oublié votre mot de passe, demandez-en un nouveau : le lien reçu par mail ou le courrier vous permettront de vous reconnecter.',
  deactivatedTitle: 'Accès désactivé',
  deactivatedBody:
    'Vos codes de connexion ont été désactivés (conditions générales d’utilisation, articles 3.5 et 3.6).',
  deactivatedHelp: 'Pour toute question, contactez le service clients de votre mutuelle.',
  unavailableTitle: 'Service momentanément indisponible',
  unavailableBody:
    'Nous ne pouvons pas joindre le service pour le moment. Vérifiez votre connexion, puis réessayez dans quelques instants.',
  retry: 'Réessayer',
  expiredTitle: 'Session expirée',
  expiredBody: 'Votre session a pris fin (inactivité, déconnexion ou changement de mot de passe). Reconnectez-vous.',
  signInAgain: 'Me reconnecter',
  helpTitle: 'Aide à la connexion',
  helpForgotQ: 'Je ne me souviens plus de mes identifiants',
  helpForgotA:
    'Je les trouve sur mes décomptes ou sur ma carte de tiers payant, ou je demande un nouveau mot de passe.',
  helpNotWorkingQ: 'J’ai personnalisé mon mot de passe mais la connexion ne fonctionne pas',
  helpNotWorking1:
    'Je m’assure que la modification a été prise en compte (message « Votre modification a été prise en compte ») ; sinon, je recommence.',
  helpNotWorking2: 'Je vérifie que mon mot de passe est bien sur 6 chiffres.',
  helpNotWorking3: 'Je vérifie que j’ai saisi correctement le n° SS.',
  helpNotWorking4: 'Je peux refaire une demande d’identifiant.',
  helpFirstQ: 'Je ne me suis jamais connecté(e)',
  helpFirstA:
    'Je personnalise mon mot de passe sur 6 chiffres avec le mot de passe de mon décompte, puis je me reconnecte et j’accepte les conditions générales d’utilisation.',
  helpDeviceQ: 'On me demande un code reçu par mail',
  helpDevice1:
    'C’est ma première connexion depuis cet appareil : je saisis le code à 6 chiffres reçu par mail (valable 10 minutes). En cochant « Se souvenir de cet appareil », on ne me le demandera plus ici.',
  helpDevice2:
    'Je n’ai pas reçu le mail : je regarde dans mes courriers indésirables, puis je me reconnecte pour recevoir un nouveau code.',
  helpDevice3:
    'Je reçois ce mail sans être en train de me connecter : quelqu’un connaît mon mot de passe. Je le change sans attendre.',
  notFoundTitle: 'Page introuvable',
  notFoundBody: 'Cette page n’existe pas.',
};

export type MessageKey = keyof typeof fr;

const en: Record<MessageKey, string> = {
  appName: 'Member area',
  skip: 'Skip to content',
  help: 'Help',
  switchTo: 'Français',
  supportLabel: 'Customer service:',
  supportWrite: 'Write to us',
  supportNone: 'Customer service: contact your insurer.',
  helpContactQ: 'Contact customer service',
  errorSummary: 'There is a problem with the form:',
  show: 'Show',
  hide: 'Hide',
  showLabel: 'Show the code “{field}”',
  required: 'required',
  nirLabel: 'Social security number (NIR)',
  nirHint: '15 characters including the key, as on your Carte Vitale or statements. Check that you typed it correctly.',
  nirInvalid:
    'This social security number is not valid: check that you typed it correctly (15 characters including the key).',
  nirLength: 'A social security number has 15 characters including the key: you typed {n}.',
  nirCharacters: 'A social security number has digits only (2A or 2B for someone born in Corsica).',
  nirKey:
    'The last 2 digits (the key) do not match the first 13: a digit was probably mistyped. Check it on your Carte Vitale.',
  codeLabel: 'Code (6 digits)',
  codeHint: 'Check that your code has exactly 6 digits.',
  codeFormat: 'The code must have exactly 6 digits.',
  loginTitle: 'Sign in to your member area',
  loginIntro: 'Enter your credentials. You will find them on your statements or on your health insurance card.',
  loginSubmit: 'Sign in',
  forgotLink: 'Forgotten your code, or never had one?',
  firstLink: 'First sign-in: choose my own code',
  changeTitle: 'Change your code',
  changeIntro: 'If you have never signed in, choose your own 6-digit code, then sign in again with it.',
  currentLabel: 'Current code',
  currentHint: 'The code on your statement, or the one received by post.',
  newLabel: 'New code (6 digits)',
  newHint: 'Your new 6-digit code. Avoid runs, repetitions, dates and digits of your social security number.',
  confirmLabel: 'Confirm the new code (6 digits)',
  confirmHint: 'Your new code again, to check it.',
  weakCode:
    'This code is too easy to guess (a run, a repetition, a date or digits of your social security number): choose another.',
  mismatch: 'The confirmation does not match the new code.',
  changeSubmit: 'Confirm',
  termsTitle: 'Terms of use',
  termsIntro: 'To enter your member area, you must accept the terms of use (version {version}).',
  termsRead: 'Read the terms of use (version {version}, new tab)',
  termsCheckbox: 'I have read and accept the terms of use',
  termsRequired: 'Tick the box to accept the terms of use.',
  termsSubmit: 'Accept the terms of use',
  termsStale: 'This page has expired: sign in again to accept the terms.',
  forgotTitle: 'Forgotten your code?',
  forgotIntro: 'Your credentials are on your statements or your health insurance card. Otherwise, ask for a new code:',
  forgotEmail:
    'If we know your email address, a reset mail reaches you within minutes: follow its link and choose your own 6-digit code.',
  forgotLetter: 'If we do not know your email address, a letter with your code is posted within 48 hours.',
  forgotSubmit: 'Ask for a new code',
  forgotNoMail: 'If the mail does not arrive, contact customer service, who will post you a new code.',
  backToLogin: 'Back to sign-in',
  resetTitle: 'Choose your own code',
  resetIntro: 'Enter your social security number and choose your own 6-digit code.',
  resetNoToken: 'This link is incomplete. Open the mail’s link as it is, or ask for a new code.',
  resetSubmit: 'Save my code',
  deviceTitle: 'Verify this device',
  deviceStale: 'This verification is no longer pending. Sign in again to receive a new code.',
  deviceCodeLabel: 'Code received by email (6 digits)',
  deviceCodeHint: 'The code is valid for 10 minutes. You can copy and paste it from the email.',
  deviceCodeFormat: 'The emailed code has exactly 6 digits.',
  rememberDevice: 'Remember this device',
  rememberDeviceHint: 'No emailed code next time you sign in from this device. Do not tick on a shared computer.',
  rememberDeviceWithoutMailboxHint:
    'Only if no email address is on file for you: this device will be recognised next time. Do not tick on a shared computer.',
  rememberDeviceAfterResetHint:
    'The link has just proved your email address: no emailed code when you sign in from this device. Do not tick on a shared computer.',
  deviceSubmit: 'Confirm',
  deviceExpired: 'This code is no longer valid (10 minutes, or 3 tries). Sign in again to receive a new one.',
  deviceResend: 'I did not receive the code: sign in again to get a new one',
  deviceHelp: 'Help with signing in',
  securityLink: 'Security: my devices and sign-ins',
  myCodeLink: 'Change my code',
  myCodeTitle: 'Change my code',
  myCodeIntro:
    'Enter your current code, then the new one. You stay signed in on this device; everywhere else your space is closed and remembered devices will have to be confirmed again.',
  myCodeCurrentLabel: 'Current code',
  myCodeCurrentHint: 'The 6-digit code you signed in with.',
  myCodeSubmit: 'Change my code',
  myCodeDone: 'Your code has been changed. Your other sessions have been closed.',
  securityTitle: 'Security',
  securityIntro:
    'Here is where your member area is open, and the devices that sign in without an emailed code. If you do not recognise one, sign it out and change your code.',
  sessionsTitle: 'Where I am signed in',
  unknownBrowser: 'Unknown browser',
  thisDevice: 'this device (me)',
  sessionStarted: 'Signed in on',
  lastUsed: 'Last used',
  ipAddress: 'IP address',
  endSession: 'Sign out',
  endSessionNamed: 'Sign out — {device}, signed in on {date}',
  sessionEnded: 'That sign-in was ended.',
  endOthers: 'Sign out everywhere else',
  othersEnded: 'All your other sign-ins were ended, and your other trusted devices forgotten.',
  securityPasskeysTitle: 'My passkeys',
  securityPasskeysIntro:
    'These passkeys open your member area without a code. A passkey you do not recognise? Delete it from "My passkeys", or choose a new code with "Forgotten code": every passkey will be removed.',
  securityPasskeysManage: 'Manage my passkeys',
  devicesTitle: 'My trusted devices',
  devicesIntro: 'These devices sign in with your code, without an emailed code.',
  noDevice: 'No trusted device yet.',
  trustedSince: 'Trusted since',
  forgetDevice: 'Forget this device',
  forgetDeviceNamed: 'Forget this device — {device}, since {date}',
  deviceForgotten: 'The device was forgotten and its sign-ins ended: it will have to enter an emailed code again.',
  notYou:
    'A device or sign-in you do not recognise? Change your code: every sign-in and every trusted device will be ended.',
  backToHome: 'Back to my member area',
  passkeySignIn: 'Sign in with a passkey',
  passkeyOfferTitle: 'Sign in more simply',
  passkeyOffer: 'Create a passkey: next time, you will sign in with this device’s unlock, without typing a code.',
  passkeyOr: 'Or, without typing a code:',
  passkeysLink: 'My passkeys: sign in without a code',
  passkeysTitle: 'My passkeys',
  passkeysIntro:
    'A passkey signs you in with the unlock of your phone or computer (fingerprint, face, device PIN): nothing to remember, nothing to type, and it only works on your insurer’s real site.',
  noPasskey: 'You have no passkey yet.',
  passkeyAddTitle: 'Create a passkey on this device',
  passkeyName: 'Name of the passkey',
  passkeyNameHint: 'To recognise it, e.g. “Phone” or “Living-room computer”.',
  passkeyDefaultName: 'Passkey',
  passkeyCreate: 'Create a passkey',
  passkeyCreated: 'Your passkey is created. You can use it next time you sign in.',
  passkeyCreatedOn: 'Created on',
  passkeyCancelled: 'The passkey was not created (cancelled, or refused by the device).',
  passkeyUnsupported: 'This browser cannot create passkeys.',
  passkeyNewName: 'New name',
  passkeyNameRequired: 'Give the passkey a name.',
  passkeyRename: 'Rename',
  passkeyRenamed: 'The passkey was renamed.',
  passkeyDelete: 'Delete',
  passkeyDeleteNamed: 'Delete the passkey “{name}”',
  passkeyDeleted: 'The passkey was deleted.',
  passkeyKind: 'Kind',
  passkeySynced: 'synced across your devices',
  passkeyDeviceBound: 'on one device only',
  passkeyNeverUsed: 'never',
  passkeyOnlyTitle: 'Passkey only',
  passkeyOnly: 'Stop accepting my code: sign in with a passkey only',
  passkeyOnlyHint:
    'If you lose your passkeys, “Forgotten code” (a link by email, or a letter) turns sign-in with a code back on.',
  passkeyOnlySave: 'Save this choice',
  codeSignInOff: 'Your code no longer opens your space: sign in with a passkey.',
  codeSignInOn: 'Signing in with a code works again.',
  homeTitle: 'My member area',
  hello: 'Hello {name}',
  nirFact: 'Social security number',
  emailFact: 'Email address on file',
  yes: 'yes',
  no: 'no — a forgotten code is replaced by post',
  logout: 'Sign out',
  signedOut: 'You are signed out. See you soon.',
  lockedTitle: 'Too many attempts',
  lockedBody: 'For your security, sign-in is suspended. You can try again at {time}, in {duration}.',
  minuteOne: '1 minute',
  minuteMany: '{n} minutes',
  lockedHelp: 'If you have forgotten your code, ask for a new one: the mailed link or the letter will let you back in.',
  deactivatedTitle: 'Access deactivated',
  deactivatedBody: 'Your sign-in codes have been deactivated (terms of use, sections 3.5 and 3.6).',
  deactivatedHelp: 'For any question, contact your insurer’s customer service.',
  unavailableTitle: 'Service temporarily unavailable',
  unavailableBody: 'We cannot reach the service right now. Check your connection, then try again in a moment.',
  retry: 'Try again',
  expiredTitle: 'Session ended',
  expiredBody: 'Your session has ended (inactivity, sign-out or a code change). Please sign in again.',
  signInAgain: 'Sign in again',
  helpTitle: 'Help with signing in',
  helpForgotQ: 'I do not remember my credentials',
  helpForgotA: 'They are on your statements or your health insurance card; or ask for a new code.',
  helpNotWorkingQ: 'I chose my own code but signing in does not work',
  helpNotWorking1: 'Make sure the change was saved (the message “Your change has been saved”); otherwise, do it again.',
  helpNotWorking2: 'Check that your code has 6 digits.',
  helpNotWorking3: 'Check that you typed your social security number correctly.',
  helpNotWorking4: 'You can ask for new credentials.',
  helpFirstQ: 'I have never signed in',
  helpFirstA:
    'Choose your own 6-digit code using the code on your statement, then sign in again and accept the terms of use.',
  helpDeviceQ: 'I am asked for a code received by email',
  helpDevice1:
    'This is my first sign-in from this device: I enter the 6-digit code received by email (valid 10 minutes). With “Remember this device” ticked, I will not be asked again here.',
  helpDevice2: 'I did not receive the email: I look in my spam folder, then sign in again to get a new code.',
  helpDevice3: 'I receive this email while I am not signing in: someone knows my code. I change it straight away.',
  notFoundTitle: 'Page not found',
  notFoundBody: 'This page does not exist.',
};

const DICTIONARIES: Record<Language, Record<MessageKey, string>> = { fr, en };
const STORAGE_KEY = 'mp-language';

let current: Language = 'fr';

/** The member's choice (kept in localStorage: a preference, not a secret), French by default. */
export function initialLanguage(): Language {
  current = globalThis.localStorage?.getItem(STORAGE_KEY) === 'en' ? 'en' : 'fr';
  return current;
}

export function language(): Language {
  return current;
}

export function setLanguage(next: Language): void {
  current = next;
  localStorage.setItem(STORAGE_KEY, next);
  document.documentElement.lang = next;
}

export function t(key: MessageKey, values: Record<string, string | number> = {}): string {
  return DICTIONARIES[current][key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
}

/** A number of minutes, singular or plural ("1 minute", "15 minutes"). */
export const minutes = (n: number): string => (n === 1 ? t('minuteOne') : t('minuteMany', { n }));

/** A clock time later today, as the member reads it ("14 h 32", "2:32 pm"). */
export function clockTime(at: Date): string {
  if (language() === 'en') return new Intl.DateTimeFormat('en-GB', { timeStyle: 'short' }).format(at);
  return `${at.getHours()} h ${String(at.getMinutes()).padStart(2, '0')}`;
}

/** A moment as the member reads it, in their language ("26 nov. 2026, 14:58"). */
export function formatWhen(iso: string): string {
  return new Intl.DateTimeFormat(language() === 'en' ? 'en-GB' : 'fr-FR', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(iso));
}
