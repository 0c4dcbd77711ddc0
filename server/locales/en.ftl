# Interface strings of the respondent's questionnaire, English.
# The survey's own texts (questions, options) come from its definition.

loading = Loading the questionnaire…
language = Language
# The language's own name, in the language switch.
language-name = English
question-number = Question { $number } of { $total }
progress = { $answered } of { $total } answered
required = required
choose-country = Choose a country…
# The plain form (without JavaScript): the choice that stands for no answer, the
# yes/no pair of each option of a multiple choice, and the list of a number's ranges.
no-answer = No answer
answer-yes = Yes
answer-no = No
choose-range = Choose a range…
condition = Answer this only if your answer to question { $number } was: { $answers }.
max-choices = { $max ->
    [one] Choose one.
   *[other] Choose up to { $max }.
}
scale-end = { $value }: { $label }
send = Send answers
sending = Sending…
retry = Try again
counted = Your answers were counted. Thank you!
not-sent = Your answers have not been sent, so they are not counted yet (is the connection down?). Your answers are still here: press “Try again”. They will be counted only once, however often you try.
fix-errors = { $count ->
    [one] One answer needs attention
   *[other] { $count } answers need attention
}
survey-updated = This survey was updated while you were answering. Your answers that still fit are kept; please check them and send again.
closed = This survey has closed and takes no more answers. Thank you for your interest.
not-open-yet = This survey is not open yet. You can answer it from its opening time, below.
schedule-opens = Opens
schedule-closes = Takes answers until
schedule-your-time = your time
load-failed = The questionnaire could not be loaded. Check the connection and reload the page.
needs-script = This questionnaire needs JavaScript for now.
no-client = The questionnaire app is not installed on this server.
refused = The server did not accept the answers: { $detail }
invite-code = Invite code
invite-help = The code you were given, such as ABCDE-FGHJK. Each code counts one set of answers.
invite-unknown = This invite code is not valid for this survey. Check it and try again.
invite-used = This invite code was already used: each code counts one set of answers.
invite-missing = Enter the invite code you were given.
invite-wait = Too many wrong codes. Wait { $seconds } s and try again.
too-many-wait = Too many answers came from your network in the last minute, so these were not counted yet. Your answers are kept below: wait { $seconds } s and send them again.
busy-wait = The server is very busy, so your answers were not counted yet. They are kept below: wait { $seconds } s and send them again.
sending-again = The server is busy, so your answers are not counted yet. They will be sent again by themselves in { $seconds } s: keep this page open.
invite-key = Survey key:
invite-ready = The code is accepted. Your answers will be counted once, and cannot be linked to the code.
preview-valid = This is a preview: these answers are valid and would be counted. Nothing was sent.

# The list of answers that need attention, at the top of the form after a refused
# send: each entry links to its question ($label: the question's text).
error-link = Question { $number }: { $label }
# Beside the send button, after the number of answers that need attention.
errors-at-top = See the list at the top of the form.
# A multiple choice's option that goes alone ("No, none of these"), said beside the
# question; and what the questionnaire says when it unticks answers for that reason.
exclusive-rule = “{ $option }” goes alone: choose it only if none of the others apply.
exclusive-cleared = “{ $option }” goes alone, so the other answers were unticked.
exclusive-unticked = “{ $option }” was unticked: it goes alone.
# Said when as many options are ticked as the question allows (the others are then unavailable).
choices-full = That is the most you can choose. To choose another, untick one first.
# A number's range, beside its field; with its unit ($label: "years").
number-range = From { $min } to { $max }.
number-range-unit = From { $min } to { $max } { $label }.
# The plain form's list of numbers: the entry that stands for no answer.
choose-number = Choose a number…
# The confirmation page: its title (before the survey's), and what happens to the
# answers now, for surveys whose results carry noise, and for those without.
counted-title = Answers counted
counted-noise = They were added to the totals, and nothing that could identify you was kept. Results are released only from time to time, once enough new people have answered, with random noise that protects each person. You can close this page.
counted-exact = They were added to the totals, and nothing that could identify you was kept. Results are released only from time to time, once enough new people have answered, and counts small enough to point to a person are withheld. You can close this page.

error-required = Please answer this question.
error-too-many = { $max ->
    [one] Choose only one.
   *[other] Choose at most { $max }.
}
error-exclusive = “{ $option }” cannot be combined with other answers.
error-range = Enter a whole number from { $min } to { $max }.
error-whole-number = Enter a whole number.
error-other = Check this answer.
error-missing-rows = Please answer every row.
error-ranked-twice = “{ $option }” is ranked twice: choose a different item for each place.
# A ranking without JavaScript: a list per place ($place: 1, 2, 3…), and its entry for no item.
rank-place = Place { $place }
choose-item = Choose…
