# Радкі інтэрфейсу анкеты, беларуская.

loading = Загружаем анкету…
language = Мова
# The language's own name, in the language switch.
language-name = Беларуская
question-number = Пытанне { $number } з { $total }
progress = Адказана: { $answered } з { $total }
required = абавязкова
choose-country = Выберыце краіну…
# The plain form (without JavaScript): the choice that stands for no answer, the
# yes/no pair of each option of a multiple choice, and the list of a number's ranges.
no-answer = Без адказу
answer-yes = Так
answer-no = Не
choose-range = Выберыце дыяпазон…
condition = Адказвайце, толькі калі на пытанне { $number } вы адказалі: { $answers }.
max-choices = { $max ->
    [one] Можна выбраць не больш за { $max } варыянт.
    [few] Можна выбраць не больш за { $max } варыянты.
   *[many] Можна выбраць не больш за { $max } варыянтаў.
}
scale-end = { $value }: { $label }
send = Адправіць адказы
sending = Адпраўляем…
retry = Паспрабаваць яшчэ раз
counted = Вашы адказы ўлічаны. Дзякуй!
not-sent = Адказы не адпраўлены, таму яшчэ не ўлічаны (няма сувязі?). Яны нікуды не зніклі: націсніце «Паспрабаваць яшчэ раз». Колькі б разоў вы ні спрабавалі, адказы будуць улічаны толькі адзін раз.
fix-errors = { $count ->
    [one] { $count } адказ патрабуе ўвагі
    [few] { $count } адказы патрабуюць увагі
   *[many] { $count } адказаў патрабуюць увагі
}
survey-updated = Пакуль вы адказвалі, анкету абнавілі. Адказы, якія падыходзяць, захаваны; праверце іх і адпраўце зноў.
closed = Гэтае апытанне закрытае і больш не прымае адказы. Дзякуй за цікавасць.
not-open-yet = Гэтае апытанне яшчэ не адкрытае. Адказаць на яго можна будзе з часу, пазначанага ніжэй.
schedule-opens = Адкрываецца
schedule-closes = Прымае адказы да
schedule-your-time = па вашым часе
load-failed = Не ўдалося загрузіць анкету. Праверце злучэнне і абнавіце старонку.
needs-script = Для гэтай анкеты пакуль патрэбны JavaScript.
no-client = Праграма анкеты не ўсталявана на гэтым серверы.
refused = Сервер не прыняў адказы: { $detail }
invite-code = Код запрашэння
invite-help = Код, які вы атрымалі, напрыклад ABCDE-FGHJK. Кожны код залічвае адзін набор адказаў.
invite-unknown = Гэты код запрашэння не падыходзіць для гэтага апытання. Праверце яго і паспрабуйце зноў.
invite-used = Гэты код запрашэння ўжо выкарыстаны: кожны код залічвае адзін набор адказаў.
invite-missing = Увядзіце код запрашэння, які вы атрымалі.
invite-wait = Занадта шмат няправільных кодаў. Пачакайце { $seconds } с і паспрабуйце зноў.
too-many-wait = За апошнюю хвіліну з вашай сеткі прыйшло занадта шмат адказаў, таму гэтыя яшчэ не ўлічаны. Вашы адказы захаваны ніжэй: пачакайце { $seconds } с і адпраўце іх зноў.
busy-wait = Сервер цяпер вельмі загружаны, таму вашы адказы яшчэ не ўлічаны. Яны захаваны ніжэй: пачакайце { $seconds } с і адпраўце іх зноў.
sending-again = Сервер цяпер загружаны, таму вашы адказы яшчэ не ўлічаны. Яны будуць адпраўлены зноў самі праз { $seconds } с: не закрывайце гэтую старонку.
invite-key = Ключ апытання:
invite-ready = Код прыняты. Вашы адказы будуць улічаны адзін раз, і звязаць іх з кодам нельга.
preview-valid = Гэта папярэдні прагляд: адказы карэктныя і былі б улічаны. Нічога не адпраўлена.

# The list of answers that need attention, at the top of the form after a refused
# send: each entry links to its question ($label: the question's text).
error-link = Пытанне { $number }: { $label }
# Beside the send button, after the number of answers that need attention.
errors-at-top = Спіс — у пачатку формы.
# A multiple choice's option that goes alone ("No, none of these"), said beside the
# question; and what the questionnaire says when it unticks answers for that reason.
exclusive-rule = «{ $option }» выбіраецца асобна: адзначце гэты варыянт, толькі калі нічога іншага не падыходзіць.
exclusive-cleared = «{ $option }» выбіраецца асобна, таму астатнія адзнакі знятыя.
exclusive-unticked = Адзнака «{ $option }» знятая: гэты варыянт выбіраецца асобна.
# Said when as many options are ticked as the question allows (the others are then unavailable).
choices-full = Больш выбраць нельга. Каб выбраць іншы варыянт, спачатку зніміце адну з адзнак.
# A number's range, beside its field; with its unit ($label: "гадоў").
number-range = Ад { $min } да { $max }.
number-range-unit = Ад { $min } да { $max } { $label }.
# The plain form's list of numbers: the entry that stands for no answer.
choose-number = Выберыце лік…
# The confirmation page: its title (before the survey's), and what happens to the
# answers now, for surveys whose results carry noise, and for those without.
counted-title = Адказы ўлічаны
counted-noise = Яны дададзены да агульных вынікаў; нічога, што магло б указаць на вас, не захавана. Вынікі выходзяць толькі час ад часу, калі адкажа дастаткова новых людзей, і з выпадковым шумам, які абараняе кожнага. Гэтую старонку можна зачыніць.
counted-exact = Яны дададзены да агульных вынікаў; нічога, што магло б указаць на вас, не захавана. Вынікі выходзяць толькі час ад часу, калі адкажа дастаткова новых людзей, а настолькі малыя лікі, што маглі б указаць на чалавека, не паказваюцца. Гэтую старонку можна зачыніць.

error-required = Калі ласка, адкажыце на гэтае пытанне.
error-too-many = { $max ->
    [one] Выберыце не больш за { $max } варыянт.
    [few] Выберыце не больш за { $max } варыянты.
   *[many] Выберыце не больш за { $max } варыянтаў.
}
error-exclusive = Варыянт «{ $option }» нельга спалучаць з іншымі.
error-range = Увядзіце цэлы лік ад { $min } да { $max }.
error-whole-number = Увядзіце цэлы лік.
error-other = Праверце гэты адказ.
error-missing-rows = Калі ласка, адкажыце ў кожным радку.
error-ranked-twice = «{ $option }» абрана двойчы: для кожнага месца абярыце іншы варыянт.
rank-place = Месца { $place }
choose-item = Абярыце…
