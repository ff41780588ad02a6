/**
 * French: one text per line, in the order of en.ts's keys (strings/index.ts makes the
 * object; test/strings/languages.test.ts checks the lines and their slots). No imports: this
 * module is fetched on its own, and must not pull the bundle's code into a chunk.
 */
export default `
Chargement du formulaire d’inscription…
Le formulaire d’inscription n’a pas pu être chargé.
Réessayer
Inscription à {conference}
Les inscriptions sont closes
Les inscriptions à {conference} sont closes. Merci de votre intérêt.
Les billets ne sont pas en vente pour le moment
Revenez plus tard pour vous inscrire à {conference}.
La vente des billets ouvre le {date}.
L’événement est complet
Tous les billets pour {conference} sont partis.
Les champs marqués d’un * sont obligatoires.
Prénom
Nom
Adresse e-mail
Billet
Gratuit
Complet
Plus que {n}
Paiement
Référence de paiement
La référence de votre virement, par exemple TXN-12345
Lien vers votre justificatif de paiement
Justificatif de paiement
PNG, JPEG ou PDF, 5 Mo au plus
Envoi de {file}…
{file} est joint.
Choisissez un fichier PNG, JPEG ou PDF de 5 Mo au plus
Cette page ne peut pas envoyer de fichier : collez un lien vers votre justificatif.
Choisir…
S’inscrire
Envoi de votre inscription…
Il y a un problème
Vous êtes inscrit·e
Merci, {name}. Votre référence est
Billet : {ticket} ({price})
Comment payer
Indiquez votre référence {reference} avec votre paiement.
Inscrire une autre personne
{name} ({email}) est déjà inscrit·e à cet événement.
L’événement est complet : aucune inscription n’est plus possible.
Ce billet vient d’être épuisé. Choisissez-en un autre.
Les inscriptions sont closes : nous n’avons pas pu vous inscrire.
Les billets ne sont pas en vente pour le moment. Réessayez plus tard.
Trop de tentatives depuis votre réseau. Réessayez dans {seconds} secondes.
Le service d’inscription n’a pas répondu à temps. Vos réponses sont conservées : réessayez.
Le service d’inscription est injoignable. Vérifiez votre connexion et réessayez : vos réponses sont conservées.
L’inscription n’est pas possible pour le moment. Réessayez plus tard.
Le service d’inscription ne répond pas pour le moment. Vos réponses sont conservées : veuillez réessayer dans un instant.
Ce site ne peut pas recevoir d’inscriptions pour cet événement.
L’inscription n’est pas possible sur cette page, mais vous pouvez vous inscrire sur la page du formulaire.
Ouvrir le formulaire d’inscription
Vos réponses sont trop longues pour cette connexion. Raccourcissez-les.
Une erreur s’est produite. Réessayez.
Choisissez un billet
Choisissez un mode de paiement
Ce champ est obligatoire
Cette question ne fait plus partie du formulaire
Saisissez un nombre
Saisissez {min} ou plus
Saisissez {max} ou moins
Choisissez l’une des options
Saisissez une date
Saisissez une date à partir du {min}
Saisissez une date jusqu’au {max}
Utilisez {max} caractères au plus
Saisissez une adresse e-mail comme nom@example.com
Saisissez une adresse web qui commence par https://
Vérifiez le format de cette réponse
`;
