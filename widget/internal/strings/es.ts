/**
 * Spanish: one text per line, in the order of en.ts's keys (strings/index.ts makes the
 * object; test/strings/languages.test.ts checks the lines and their slots). No imports: this
 * module is fetched on its own, and must not pull the bundle's code into a chunk.
 */
export default `
Cargando el formulario de inscripción…
No se pudo cargar el formulario de inscripción.
Intentar de nuevo
Inscripción en {conference}
La inscripción está cerrada
La inscripción en {conference} está cerrada. Gracias por su interés.
Las entradas no están a la venta ahora
Vuelva más tarde para inscribirse en {conference}.
Las entradas salen a la venta el {date}.
El evento está completo
Todas las entradas para {conference} están agotadas.
Los campos marcados con * son obligatorios.
Nombre
Apellidos
Correo electrónico
Entrada
Gratis
Agotada
Quedan {n}
Pago
Referencia del pago
La referencia de su transferencia, por ejemplo TXN-12345
Enlace a su justificante de pago
Comprobante de pago
PNG, JPEG o PDF, 5 MB como máximo
Subiendo {file}…
{file} está adjunto.
Elija un archivo PNG, JPEG o PDF de 5 MB como máximo
Esta página no puede enviar archivos: pegue un enlace a su comprobante.
Elija…
Inscribirme
Enviando su inscripción…
Hay un problema
Está inscrito
Gracias, {name}. Su referencia es
Entrada: {ticket} ({price})
Cómo pagar
Indique su referencia {reference} al pagar.
Inscribir a otra persona
{name} ({email}) ya está inscrito en este evento.
El evento está completo: ya no se admiten inscripciones.
Esta entrada se acaba de agotar. Elija otra.
La inscripción se ha cerrado, así que no pudimos inscribirle.
Las entradas no están a la venta ahora. Inténtelo más tarde.
Demasiados intentos desde su red. Inténtelo de nuevo en {seconds} segundos.
El servicio de inscripción no respondió a tiempo. Sus respuestas se conservan: inténtelo de nuevo.
No pudimos conectar con el servicio de inscripción. Compruebe su conexión e inténtelo de nuevo: sus respuestas se conservan.
La inscripción no está disponible ahora. Inténtelo más tarde.
El servicio de inscripción no responde en este momento. Sus respuestas se conservan: inténtelo de nuevo en un momento.
Este sitio web no puede recibir inscripciones para este evento.
La inscripción no está disponible en esta página, pero puede inscribirse en la página del formulario.
Abrir el formulario de inscripción
Sus respuestas son demasiado largas para esta conexión. Acórtelas.
Algo salió mal. Inténtelo de nuevo.
Elija una entrada
Elija cómo va a pagar
Este campo es obligatorio
Esta pregunta ya no forma parte del formulario
Introduzca un número
Introduzca {min} o más
Introduzca {max} o menos
Elija una de las opciones
Introduzca una fecha
Introduzca una fecha a partir del {min}
Introduzca una fecha hasta el {max}
Use {max} caracteres como máximo
Introduzca un correo como nombre@example.com
Introduzca una dirección web que empiece por https://
Revise el formato de esta respuesta
`;
