/**
 * German: one text per line, in the order of en.ts's keys (strings/index.ts makes the
 * object; test/strings/languages.test.ts checks the lines and their slots). No imports: this
 * module is fetched on its own, and must not pull the bundle's code into a chunk.
 */
export default `
Das Anmeldeformular wird geladen …
Das Anmeldeformular konnte nicht geladen werden.
Erneut versuchen
Anmeldung für {conference}
Die Anmeldung ist geschlossen
Die Anmeldung für {conference} ist geschlossen. Vielen Dank für Ihr Interesse.
Derzeit sind keine Tickets erhältlich
Bitte melden Sie sich später für {conference} an.
Der Ticketverkauf beginnt am {date}.
Die Veranstaltung ist ausgebucht
Alle Tickets für {conference} sind vergeben.
Mit * markierte Felder sind Pflichtfelder.
Vorname
Nachname
E-Mail-Adresse
Ticket
Kostenlos
Ausverkauft
Noch {n}
Zahlung
Zahlungsreferenz
Die Referenz Ihrer Überweisung, zum Beispiel TXN-12345
Link zu Ihrem Zahlungsbeleg
Zahlungsbeleg
PNG, JPEG oder PDF, höchstens 5 MB
{file} wird hochgeladen …
{file} ist angehängt.
Wählen Sie eine PNG-, JPEG- oder PDF-Datei von höchstens 5 MB
Diese Seite kann keine Dateien senden: Fügen Sie einen Link zu Ihrem Beleg ein.
Bitte wählen …
Anmelden
Ihre Anmeldung wird gesendet …
Es gibt ein Problem
Sie sind angemeldet
Vielen Dank, {name}. Ihre Referenz lautet
Ticket: {ticket} ({price})
So bezahlen Sie
Bitte geben Sie bei der Zahlung Ihre Referenz {reference} an.
Weitere Person anmelden
{name} ({email}) ist für diese Veranstaltung bereits angemeldet.
Die Veranstaltung ist ausgebucht; es sind keine Anmeldungen mehr möglich.
Dieses Ticket ist gerade ausverkauft. Bitte wählen Sie ein anderes.
Die Anmeldung wurde geschlossen, daher konnten wir Sie nicht anmelden.
Derzeit sind keine Tickets erhältlich. Bitte versuchen Sie es später erneut.
Zu viele Versuche aus Ihrem Netzwerk. Bitte versuchen Sie es in {seconds} Sekunden erneut.
Der Anmeldedienst hat nicht rechtzeitig geantwortet. Ihre Angaben bleiben erhalten: Bitte versuchen Sie es erneut.
Der Anmeldedienst ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut: Ihre Angaben bleiben erhalten.
Die Anmeldung ist gerade nicht möglich. Bitte versuchen Sie es später erneut.
Der Anmeldedienst antwortet gerade nicht. Ihre Angaben bleiben erhalten: Bitte versuchen Sie es gleich noch einmal.
Diese Website darf keine Anmeldungen für diese Veranstaltung entgegennehmen.
Die Anmeldung ist auf dieser Seite nicht möglich, aber auf der Formularseite.
Anmeldeformular öffnen
Ihre Angaben sind zu lang für diese Verbindung. Bitte kürzen Sie sie.
Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut.
Wählen Sie ein Ticket
Wählen Sie eine Zahlungsart
Dieses Feld ist erforderlich
Diese Frage gehört nicht mehr zum Formular
Geben Sie eine Zahl ein
Geben Sie {min} oder mehr ein
Geben Sie {max} oder weniger ein
Wählen Sie eine der Möglichkeiten
Geben Sie ein Datum ein
Geben Sie ein Datum ab dem {min} ein
Geben Sie ein Datum bis zum {max} ein
Verwenden Sie höchstens {max} Zeichen
Geben Sie eine E-Mail-Adresse wie name@example.com ein
Geben Sie eine Webadresse ein, die mit https:// beginnt
Prüfen Sie das Format dieser Angabe
`;
