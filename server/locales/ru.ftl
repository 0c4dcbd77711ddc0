# Строки интерфейса анкеты, русский.

loading = Загружаем анкету…
language = Язык
# The language's own name, in the language switch.
language-name = Русский
question-number = Вопрос { $number } из { $total }
progress = Отвечено: { $answered } из { $total }
required = обязательно
choose-country = Выберите страну…
# The plain form (without JavaScript): the choice that stands for no answer, the
# yes/no pair of each option of a multiple choice, and the list of a number's ranges.
no-answer = Без ответа
answer-yes = Да
answer-no = Нет
choose-range = Выберите диапазон…
condition = Отвечайте, только если на вопрос { $number } вы ответили: { $answers }.
max-choices = { $max ->
    [one] Можно выбрать не больше { $max } варианта.
   *[other] Можно выбрать не больше { $max } вариантов.
}
scale-end = { $value }: { $label }
send = Отправить ответы
sending = Отправляем…
retry = Попробовать ещё раз
counted = Ваши ответы учтены. Спасибо!
not-sent = Ответы не отправлены и пока не учтены (нет связи?). Они никуда не делись: нажмите «Попробовать ещё раз». Сколько бы раз вы ни пробовали, ответы будут учтены только один раз.
fix-errors = { $count ->
    [one] { $count } ответ требует внимания
    [few] { $count } ответа требуют внимания
   *[many] { $count } ответов требуют внимания
}
survey-updated = Пока вы отвечали, анкету обновили. Подходящие ответы сохранены; проверьте их и отправьте снова.
closed = Этот опрос закрыт и больше не принимает ответы. Спасибо за интерес.
not-open-yet = Этот опрос ещё не открыт. Ответить на него можно будет с указанного ниже времени.
schedule-opens = Открывается
schedule-closes = Принимает ответы до
schedule-your-time = по вашему времени
load-failed = Не удалось загрузить анкету. Проверьте соединение и обновите страницу.
needs-script = Для этой анкеты пока нужен JavaScript.
no-client = Приложение анкеты не установлено на этом сервере.
refused = Сервер не принял ответы: { $detail }
invite-code = Код приглашения
invite-help = Код, который вы получили, например ABCDE-FGHJK. Каждый код засчитывает один набор ответов.
invite-unknown = Этот код приглашения не подходит для этого опроса. Проверьте его и попробуйте снова.
invite-used = Этот код приглашения уже использован: каждый код засчитывает один набор ответов.
invite-missing = Введите код приглашения, который вы получили.
invite-wait = Слишком много неверных кодов. Подождите { $seconds } с и попробуйте снова.
too-many-wait = За последнюю минуту из вашей сети пришло слишком много ответов, поэтому эти ещё не учтены. Ваши ответы сохранены ниже: подождите { $seconds } с и отправьте их снова.
busy-wait = Сервер сейчас очень загружен, поэтому ваши ответы ещё не учтены. Они сохранены ниже: подождите { $seconds } с и отправьте их снова.
sending-again = Сервер сейчас загружен, поэтому ваши ответы ещё не учтены. Они будут отправлены снова сами через { $seconds } с: не закрывайте эту страницу.
invite-key = Ключ опроса:
invite-ready = Код принят. Ваши ответы будут учтены один раз, и связать их с кодом нельзя.
preview-valid = Это предпросмотр: ответы корректны и были бы учтены. Ничего не отправлено.

# The list of answers that need attention, at the top of the form after a refused
# send: each entry links to its question ($label: the question's text).
error-link = Вопрос { $number }: { $label }
# Beside the send button, after the number of answers that need attention.
errors-at-top = Список — в начале формы.
# A multiple choice's option that goes alone ("No, none of these"), said beside the
# question; and what the questionnaire says when it unticks answers for that reason.
exclusive-rule = «{ $option }» выбирается отдельно: отметьте этот вариант, только если ничего другого не подходит.
exclusive-cleared = «{ $option }» выбирается отдельно, поэтому остальные отметки сняты.
exclusive-unticked = Отметка «{ $option }» снята: этот вариант выбирается отдельно.
# Said when as many options are ticked as the question allows (the others are then unavailable).
choices-full = Больше выбрать нельзя. Чтобы выбрать другой вариант, сначала снимите одну из отметок.
# A number's range, beside its field; with its unit ($label: "лет").
number-range = От { $min } до { $max }.
number-range-unit = От { $min } до { $max } { $label }.
# The plain form's list of numbers: the entry that stands for no answer.
choose-number = Выберите число…
# The confirmation page: its title (before the survey's), and what happens to the
# answers now, for surveys whose results carry noise, and for those without.
counted-title = Ответы учтены
counted-noise = Они добавлены к общим итогам; ничего, что могло бы указать на вас, не сохранено. Итоги выходят только время от времени, когда ответит достаточно новых людей, и со случайным шумом, который защищает каждого. Эту страницу можно закрыть.
counted-exact = Они добавлены к общим итогам; ничего, что могло бы указать на вас, не сохранено. Итоги выходят только время от времени, когда ответит достаточно новых людей, а числа настолько малые, что могли бы указать на человека, не показываются. Эту страницу можно закрыть.

error-required = Пожалуйста, ответьте на этот вопрос.
error-too-many = { $max ->
    [one] Выберите не больше { $max } варианта.
   *[other] Выберите не больше { $max } вариантов.
}
error-exclusive = Вариант «{ $option }» нельзя сочетать с другими.
error-range = Введите целое число от { $min } до { $max }.
error-whole-number = Введите целое число.
error-other = Проверьте этот ответ.
error-missing-rows = Пожалуйста, ответьте в каждой строке.
error-ranked-twice = «{ $option }» выбрано дважды: для каждого места выберите другой вариант.
rank-place = Место { $place }
choose-item = Выберите…
