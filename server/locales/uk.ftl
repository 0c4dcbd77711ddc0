# Рядки інтерфейсу анкети, українська.

loading = Завантажуємо анкету…
language = Мова
# The language's own name, in the language switch.
language-name = Українська
question-number = Запитання { $number } з { $total }
progress = Відповіли: { $answered } з { $total }
required = обов’язково
choose-country = Оберіть країну…
# The plain form (without JavaScript): the choice that stands for no answer, the
# yes/no pair of each option of a multiple choice, and the list of a number's ranges.
no-answer = Без відповіді
answer-yes = Так
answer-no = Ні
choose-range = Оберіть діапазон…
condition = Відповідайте, лише якщо на запитання { $number } ви відповіли: { $answers }.
max-choices = { $max ->
    [one] Можна обрати не більше { $max } варіанта.
   *[other] Можна обрати не більше { $max } варіантів.
}
scale-end = { $value }: { $label }
send = Надіслати відповіді
sending = Надсилаємо…
retry = Спробувати ще раз
counted = Ваші відповіді враховано. Дякуємо!
not-sent = Відповіді не надіслано, тож їх ще не враховано (немає зв’язку?). Вони нікуди не зникли: натисніть «Спробувати ще раз». Скільки б разів ви не пробували, відповіді буде враховано лише один раз.
fix-errors = { $count ->
    [one] { $count } відповідь потребує уваги
    [few] { $count } відповіді потребують уваги
   *[many] { $count } відповідей потребують уваги
}
survey-updated = Поки ви відповідали, анкету оновили. Відповіді, що підходять, збережено; перевірте їх і надішліть знову.
closed = Це опитування закрите й більше не приймає відповіді. Дякуємо за інтерес.
not-open-yet = Це опитування ще не відкрите. Відповісти на нього можна буде з часу відкриття, вказаного на цій сторінці.
schedule-opens = Відкривається
schedule-closes = Приймає відповіді до
schedule-your-time = за вашим часом
load-failed = Не вдалося завантажити анкету. Перевірте з’єднання й оновіть сторінку.
needs-script = Для цієї анкети поки потрібен JavaScript.
no-client = Застосунок анкети не встановлено на цьому сервері.
refused = Сервер не прийняв відповіді: { $detail }
invite-code = Код запрошення
invite-help = Код, який ви отримали, наприклад ABCDE-FGHJK. Кожен код зараховує один набір відповідей.
invite-unknown = Цей код запрошення не підходить для цього опитування. Перевірте його й спробуйте знову.
invite-used = Цей код запрошення вже використано: кожен код зараховує один набір відповідей.
invite-missing = Введіть код запрошення, який ви отримали.
invite-wait = Забагато неправильних кодів. Зачекайте { $seconds } с і спробуйте знову.
too-many-wait = За останню хвилину з вашої мережі надійшло забагато відповідей, тому ці ще не враховано. Ваші відповіді збережено нижче: зачекайте { $seconds } с і надішліть їх знову.
busy-wait = Сервер зараз дуже завантажений, тому ваші відповіді ще не враховано. Їх збережено нижче: зачекайте { $seconds } с і надішліть їх знову.
sending-again = Сервер зараз завантажений, тому ваші відповіді ще не враховано. Їх буде надіслано знову автоматично за { $seconds } с: не закривайте цю сторінку.
invite-key = Ключ опитування:
invite-ready = Код прийнято. Ваші відповіді буде враховано один раз, і пов’язати їх із кодом неможливо.
preview-valid = Це попередній перегляд: відповіді коректні й були б враховані. Нічого не надіслано.

# The list of answers that need attention, at the top of the form after a refused
# send: each entry links to its question ($label: the question's text).
error-link = Запитання { $number }: { $label }
# Beside the send button, after the number of answers that need attention.
errors-at-top = Список — на початку форми.
# A multiple choice's option that goes alone ("No, none of these"), said beside the
# question; and what the questionnaire says when it unticks answers for that reason.
exclusive-rule = «{ $option }» обирається окремо: позначте цей варіант, лише якщо ніщо інше не підходить.
exclusive-cleared = «{ $option }» обирається окремо, тому інші позначки знято.
exclusive-unticked = Позначку «{ $option }» знято: цей варіант обирається окремо.
# Said when as many options are ticked as the question allows (the others are then unavailable).
choices-full = Більше обрати не можна. Щоб обрати інший варіант, спершу зніміть одну з позначок.
# A number's range, beside its field; with its unit ($label: "років").
number-range = Від { $min } до { $max }.
number-range-unit = Від { $min } до { $max } { $label }.
# The plain form's list of numbers: the entry that stands for no answer.
choose-number = Оберіть число…
# The confirmation page: its title (before the survey's), and what happens to the
# answers now, for surveys whose results carry noise, and for those without.
counted-title = Відповіді враховано
counted-noise = Їх додано до загальних підсумків; нічого, що могло б указати на вас, не збережено. Підсумки виходять лише час від часу, коли відповість достатньо нових людей, і з випадковим шумом, який захищає кожного. Цю сторінку можна закрити.
counted-exact = Їх додано до загальних підсумків; нічого, що могло б указати на вас, не збережено. Підсумки виходять лише час від часу, коли відповість достатньо нових людей, а настільки малі числа, що могли б указати на людину, не показуються. Цю сторінку можна закрити.

error-required = Будь ласка, дайте відповідь на це запитання.
error-too-many = { $max ->
    [one] Оберіть не більше { $max } варіанта.
   *[other] Оберіть не більше { $max } варіантів.
}
error-exclusive = Варіант «{ $option }» не можна поєднувати з іншими.
error-range = Введіть ціле число від { $min } до { $max }.
error-whole-number = Введіть ціле число.
error-other = Перевірте цю відповідь.
error-missing-rows = Будь ласка, дайте відповідь у кожному рядку.
error-ranked-twice = «{ $option }» обрано двічі: для кожного місця оберіть інший варіант.
rank-place = Місце { $place }
choose-item = Оберіть…
