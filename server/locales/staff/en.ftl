# The staff screens (designer, dashboard, login), in English: the source language.
# Terms: a release (of results); a survey's version; a cross-tabulation; a bin (of numbers).

## The shell: language, bar, titles, leaving with unsaved changes

app-language = Language
app-loading = Loading…
app-session-ended = Your session has ended. Log in again.
app-leave-title = Leave without saving?
app-leave-detail = The designer holds changes that are not saved. If you leave now, they are lost.
app-leave-stay = Stay and keep editing
app-leave-go = Leave and lose the changes
app-admins-only = Admins only
app-admins-only-detail = Designing questionnaires is for admins; your account is a researcher's.
app-admins-only-link = See the results of published surveys.
app-not-found = Not found
app-not-found-detail = There is no staff screen at this address.
app-nav-surveys = Surveys
app-nav-results = Results
app-title-surveys = Surveys
app-title-new = New survey
app-title-edit = Edit { $slug }
app-title-results = Results
app-title-results-of = Results of { $slug }
app-role-admin = admin
app-role-researcher = researcher
app-bar = Staff
app-logged-in-as = Logged in as
app-log-out = Log out

## Login

login-title = Staff login
login-username = Username
login-password = Password
login-busy = Logging in…
login-submit = Log in

## Notices

notice-network = The server could not be reached. Check the connection and try again.
notice-unexpected = The server gave an answer this page does not understand (HTTP { $status }).

## Admin: the surveys, and importing one

list-heading = Surveys
list-new = New survey
list-none = There are no surveys yet.
list-slug = Slug
list-title = Title
list-status = Status
list-version = Version
list-changes = Unpublished changes
list-yes = yes
list-no = no
list-schedule = Opens and closes
list-opens = opens { $at }
list-closes = closes { $at }
list-no-schedule = —
import-unreadable = The file could not be read.
import-summary = Import a definition (JSON)
import-definition = Survey definition
import-file = …or read it from a file
import-submit = Import
import-not-json = This is not valid JSON: { $detail }.
import-not-object = A survey definition is a JSON object: {"{"} "slug": …, "questions": [ … ] {"}"}.
import-xlsform-summary = Import an XLSForm (ODK, KoboToolbox)
import-xlsform-file = XLSForm file (.xlsx)
import-xlsform-help = A draft is made from the survey, choices and settings sheets; its form_id becomes the address. Free text, dates, locations, media and calculations cannot be carried: every cell that stands in the way is listed.
import-xlsform-none = Choose an .xlsx file first.
import-xlsform-submit = Import XLSForm

## Admin: a new survey

new-heading = New survey
new-slug = Address (slug)
new-slug-hint = Respondents open /s/{"{"}slug{"}"}. Lowercase letters, digits and single hyphens; it cannot change later.
new-languages = Languages
new-languages-hint = Tick every language the survey is written in. The first one ticked is the default; another can be made the default below.
new-languages-none = Choose at least one language.
new-languages-other = Another language (BCP 47 tag, such as kk or pt-br)
new-languages-add = Add
new-default = Default language
new-default-note = { $language } is the default: respondents see the survey in it unless they choose another, and texts missing in another language fall back to it.
new-title = Title
new-title-waiting = Choose a language to write the title in.
new-title-default = Title in { $language } (default language, required)
new-title-in = Title in { $language } (optional now)
new-title-hint = Required: the title in the default language. Other languages can be filled in later, in the designer.
new-title-required = Write the title in { $language }, the default language.
new-submit = Create survey

## The designer: its toolbar, status and outcomes

ed-heading = Edit survey
ed-kind-single = Single choice
ed-kind-multi = Multiple choice
ed-kind-scale = Scale
ed-kind-number = Number (counted in bins)
ed-kind-country = Country
ed-kind-grid = Grid (rows sharing one set of answers)
ed-kind-ranking = Ranking (put items in order)
ed-confirm-remove = Yes, remove
ed-confirm-cancel = Cancel
ed-view = View
ed-tab-edit = Edit
ed-tab-preview = Preview
ed-status-draft-problems = { $count ->
    [one] Draft, never published: one problem to fix before publishing
   *[other] Draft, never published: { $count } problems to fix before publishing
}
ed-status-draft-ready = Draft, never published: ready to publish
ed-status-open-changes = Open, version { $version }, with unpublished changes
ed-status-open = Open, version { $version }, no unpublished changes
ed-status-closed = Closed (version { $version }): takes no more answers
ed-status-scheduled = Scheduled: version { $version } opens { $opens }, no unpublished changes
ed-status-scheduled-changes = Scheduled: version { $version } opens { $opens }, with unpublished changes
ed-status-closes = closes { $closes }
ed-status-unsaved = unsaved changes
ed-status-saved = all changes saved
ed-status-pending = { $count ->
    [one] one field holds text that is not valid and is not kept
   *[other] { $count } fields hold text that is not valid and is not kept
}
ed-saving = Saving…
ed-publishing = Publishing…
ed-closing = Closing…
ed-scheduling = Saving the times…
ed-save = Save draft
ed-publish = Publish
ed-undo = Undo
ed-undo-hint = Undo the last change (Ctrl+Z outside text fields)
ed-export = Export JSON
ed-export-xlsform = Export as XLSForm
ed-export-xlsform-hint = The last saved version, as a spreadsheet for ODK and KoboToolbox
ed-close = Close survey…
ed-close-question = Close it for good? It takes no more answers; results stay.
ed-close-confirm = Yes, close it
ed-saved = Draft saved.
ed-published = Published version { $version }. Respondents answer it from now on.
ed-published-scheduled = Published version { $version }. Respondents can answer it from { $opens }.
ed-closed = Closed: the survey takes no more answers.
ed-download-refused = The browser refused the download.

## The designer: sharing a published survey

share-heading = Share the survey
share-link = Link to the survey
share-copy = Copy link
share-link-hint = Respondents answer at this address. Invite-only surveys also need an invite code.
share-open = Open the survey in a new tab
share-copied = The link is copied.
share-copy-failed = This browser did not let the page copy; the link is selected in the box, to copy it by hand.
share-qr-title = QR code of { $url }
share-qr-download = Download the QR code (SVG)

## The designer: problems, and where each one is

prob-none-draft = The definition can be published.
prob-none-changes = The changes can be published, as version { $next }.
prob-none-open = Published as version { $version }; nothing new to publish.
prob-none-scheduled = Published as version { $version }, waiting for its opening time; nothing new to publish.
prob-none-closed-changes = The survey is closed. Publishing the changes opens it again, as version { $next }.
prob-none-closed = The survey is closed (version { $version }); it takes no more answers.
prob-heading-none = No problems
prob-heading = { $count ->
    [one] Problems (1)
   *[other] Problems ({ $count })
}
prob-hint = Fix these before publishing. Saving a draft is possible at any time.
prob-server-unsaved = Save to have the server check the changes too.
prob-server-agrees = The server’s check of the saved definition agrees.
prob-server-heading = The server’s check of the saved definition
prob-raw = { $pointer }
prob-definition = The definition
prob-title = Title, { $language }
prob-title-all = Title
prob-intro = Introduction, { $language }
prob-languages = Languages
prob-slug = Address (slug)
prob-min-cell = Settings: smallest count shown (k)
prob-public-results = Settings: who may read the results
prob-access = Settings: who may answer
prob-every-hours = Releases: hours between releases
prob-min-new = Releases: new respondents needed for a release
prob-releases = Releases
prob-rho = Privacy: budget ρ
prob-planned = Privacy: planned releases
prob-privacy = Privacy
prob-settings = Settings
prob-questions = Questions
prob-crosstabs = Cross-tabulations
prob-crosstab = Cross-tabulation { $number } ({ $rows } × { $columns })
prob-rows = rows
prob-columns = columns
prob-question = Question { $number } ({ $id })
prob-id = id
prob-kind = kind
prob-required = required
prob-prompt = { $language } text
prob-help = { $language } help text
prob-min-label = { $language } label of the lowest point
prob-max-label = { $language } label of the highest point
prob-unit = { $language } unit
prob-min = lowest number
prob-max = highest number
prob-max-choices = most choices allowed
prob-allowed = allowed countries
prob-options = options
prob-bins = bins
prob-option = option { $number } ({ $code })
prob-bin = bin { $number } ({ $code })
prob-code = code
prob-label = { $language } label
prob-from = from
prob-to = to
prob-exclusive = exclusive
prob-condition = condition
prob-condition-question = condition: the earlier question
prob-condition-answers = condition: its answers
prob-condition-answer = condition: answer { $number } ({ $code })

## The designer: what each problem is, in words

prob-d-missing = No text in { $language }; every text needs every survey language.
prob-d-undeclared = Text in { $language }, which is not one of the survey’s languages.
prob-d-min-cell = The smallest shown count must be at least { $lowest }: smaller counts can identify people.
prob-d-no-questions = Add at least one question.
prob-d-too-many-questions = A survey may have at most { $max } questions; split it into several.
prob-d-reserved-id = “{ $id }” is a name the form uses itself; choose another question id.
prob-d-duplicate-question = Question id “{ $id }” is used twice; ids must be unique.
prob-d-no-languages = List at least one language.
prob-d-duplicate-language = Each language may be listed only once.
prob-d-crosstab-missing = The cross-tabulation names question “{ $id }”, which the survey does not have.
prob-d-crosstab-same = A cross-tabulation needs two different questions.
prob-d-crosstab-large = It would have more than { $max } cells; cross two questions with fewer answers.
prob-d-every-hours = Releases can be from 1 to { $max } hours apart.
prob-d-min-new = A release needs at least as many new respondents as the smallest shown count ({ $k }): fewer could be told apart by comparing two releases.
prob-d-rho = The privacy budget ρ must be more than 0 and at most { $max }.
prob-d-planned = Plan from 1 to { $max } releases.
prob-d-max-choices = { $count ->
    [one] It allows { $max } choices but offers { $count } option; use a number from 1 to { $count }.
   *[other] It allows { $max } choices but offers { $count } options; use a number from 1 to { $count }.
}
prob-d-scale = The scale runs from { $min } to { $max }; it needs 2 to { $points } points, lowest first.
prob-d-range = The lowest number, { $min }, is above the highest, { $max }.
prob-d-option-count = A choice needs 2 to { $max } options.
prob-d-bin-count = A number may have at most { $max } bins.
prob-d-bad-bin = A bin runs downwards: its “from” is above its “to”.
prob-d-bins-gap = The bins leave numbers uncounted: together they must cover { $min } to { $max } exactly.
prob-d-bins-overlap = Two bins overlap: together they must cover { $min } to { $max } exactly, each number once.
prob-d-bins-cover = The bins must cover { $min } to { $max } exactly, with no gaps and no overlaps.
prob-d-duplicate-code = Code “{ $code }” is used twice in this question.
prob-d-allowed = The allowed countries must be a non-empty list without repeats.
prob-d-show-if-earlier = It depends on “{ $id }”, which is not an earlier question; a condition can only look back.
prob-d-show-if-empty = The condition lists no answers.
prob-d-show-if-answer = It depends on answer “{ $code }”, which “{ $id }” does not offer.
prob-grid-rows = rows of the grid
prob-grid-row = row { $number } ({ $code })
prob-items = items to rank
prob-item = item { $number } ({ $code })
prob-max-ranked = places to rank
prob-condition-row = condition: the grid's row
prob-rows-item = the row or item of the rows
prob-columns-item = the row or item of the columns
prob-d-row-count = A grid needs 1 to { $max } rows.
prob-d-item-count = A ranking needs 2 to { $max } items.
prob-d-grid-exclusive = Each row of a grid takes one option: none can be exclusive.
prob-d-max-ranked = Rank from 1 to { $count } places: there are { $count } items.
prob-d-crosstab-no-item = “{ $id }” has no row or item “{ $item }”.
prob-d-crosstab-need-item = “{ $id }” has rows or items: choose which one to tabulate.
prob-d-crosstab-no-items = “{ $id }” has no rows or items: choose none.
prob-d-show-if-need-row = It depends on grid “{ $id }”: choose the row whose answer it reads.
prob-d-show-if-no-row = It depends on row “{ $row }”, which grid “{ $id }” does not have.
prob-d-show-if-not-grid = “{ $id }” is not a grid: the condition takes no row.

## The designer: the survey as a whole, its languages and settings

gen-heading = Survey
gen-address = Address:
gen-title = Title
gen-intro = Introduction (optional)
gen-languages = Languages
gen-languages-hint = Every text is written in each of these; the first is the default.
gen-default = default
gen-make-default = Make { $language } the default
gen-remove-language = Remove { $language } and its texts
gen-remove-language-question = { $count ->
    [0] Remove { $language }? It has no texts yet.
    [one] Remove { $language } and its one text?
   *[other] Remove { $language } and its { $count } texts?
}
gen-language-listed = { $language } is already listed.
gen-add-language-label = Add a language (code such as uk or pt-br)
gen-add-language = Add language
gen-min-cell = Smallest count shown (k)
gen-min-cell-hint = Counts from 1 to k−1 are suppressed in results; at least { $lowest }.
gen-min-cell-invalid = Use a whole number of at least { $lowest }.
gen-settings = Settings
gen-public-results = Anyone may read the results (still suppressed)
gen-access = Who may answer
gen-access-open = Anyone with the link
gen-access-invite = Only holders of an invite code
gen-licence = Licence of the results files
gen-licence-hint = Data packages and codebooks name it, so that archives and readers know how the results may be reused.
gen-every-hours = Hours between releases
gen-every-hours-hint = Nobody reads live counts: results are released at most this often (24: once a day), only when enough new people have answered, and once more when the survey closes. From 1 to { $max }.
gen-min-new = New respondents needed for a release
gen-min-new-hint = Empty: the default, max(50, 10 × k), which is { $default } now. With fewer, anyone comparing two releases could see the few answers given in between; it cannot be less than k.
gen-releases = Releases
gen-rho = Privacy budget ρ (rho)
gen-rho-hint = How much all of the survey’s releases together may reveal about any one respondent (zero-concentrated differential privacy). Smaller is more private and puts more noise in every count. The default is 1; more than 0 and at most { $max }.
gen-planned = Planned releases
gen-planned-hint = The budget is shared evenly by this many releases, the closing one included: each spends ρ = { $rho }. More releases put more noise in each; once they are used up, only the closing release is left. From 1 to { $max }.
gen-privacy = Privacy
gen-noise = Add random noise to every released count (differential privacy)
gen-noise-off = Noise is off.
gen-noise-off-detail = Every release will publish exact counts, protected only by hiding counts below k. Someone who compares releases, or who knows how most of a group answered, may then work out how one person answered. Publishing with noise off is recorded in the audit log, under the name of the admin who publishes, and every result released without noise says that its counts are exact. The budget and planned releases are not used while noise is off.
gen-whole-number = Use a whole number.
gen-whole-or-default = Use a whole number, or leave it empty for the default.
gen-rho-invalid = Use a number such as 1 or 0.5.

## The designer: questions

q-heading = { $count ->
    [one] Questions (1)
   *[other] Questions ({ $count })
}
q-legend = Question { $number }:
q-id = Id
q-id-hint = Lowercase letters, digits and _; also the column name in exports. Conditions and cross-tabulations follow a new id once you leave the field or press Enter.
q-id-invalid = Not a valid id: { $detail }
q-id-taken = Question { $number } already has the id “{ $id }”; ids must be unique. The old id is kept until this one is changed.
q-required = An answer is required
q-prompt = Question text
q-help = Help text (optional)
q-up = ↑ Up
q-down = ↓ Down
q-move-up = Move question { $number } ({ $id }) up
q-move-down = Move question { $number } ({ $id }) down
q-remove = Remove
q-remove-label = Remove question { $number } ({ $id })
q-remove-question = { $count ->
    [0] Remove question { $number } “{ $id }”? It has no texts yet.
    [one] Remove question { $number } “{ $id }” and its one text?
   *[other] Remove question { $number } “{ $id }” and its { $count } texts?
}
q-remove-references = { $count ->
    [one] One condition or cross-tabulation names it and will need another question.
   *[other] { $count } conditions and cross-tabulations name it and will need another question.
}
q-kind = Kind
q-new-kind = Kind of the new question
q-add = Add question

## The designer: options, scales, numbers and their bins, countries

ch-number-too-large = Use a number from -{ $largest } to { $largest }.
ch-whole-number = Enter a whole number, such as 0, 18 or -5.
ch-options = Options
ch-code = Code
ch-exclusive = Exclusive
ch-actions = Actions
ch-label-in = Label ({ $language })
ch-exclusive-hint = An exclusive option (such as “none of these”) cannot be chosen together with another.
ch-add-option = Add option
ch-remove = Remove
ch-option-up = Move option { $number } ({ $code }) up
ch-option-down = Move option { $number } ({ $code }) down
ch-option-remove = Remove option { $number } ({ $code })
ch-option-remove-question = { $count ->
    [0] Remove option { $number } “{ $code }”? It has no label yet.
    [one] Remove option { $number } “{ $code }” and its label?
   *[other] Remove option { $number } “{ $code }” and its { $count } labels?
}
ch-bin-up = Move bin { $number } ({ $code }) up
ch-bin-down = Move bin { $number } ({ $code }) down
ch-bin-remove = Remove bin { $number } ({ $code })
ch-bin-remove-question = { $count ->
    [0] Remove bin { $number } “{ $code }”?
    [one] Remove bin { $number } “{ $code }” and its label?
   *[other] Remove bin { $number } “{ $code }” and its { $count } labels?
}
ch-max-choices = At most this many choices
ch-max-choices-hint = Leave empty for no limit.
ch-max-choices-invalid = Enter a whole number, or leave it empty.
ch-rows = Rows
ch-items = Items to rank
ch-grid-options = Answers (the same for every row)
ch-add-row = Add row
ch-add-item = Add item
ch-row-up = Move row { $number } ({ $code }) up
ch-row-down = Move row { $number } ({ $code }) down
ch-row-remove = Remove row { $number } ({ $code })
ch-row-remove-question = { $count ->
    [0] Remove row { $number } “{ $code }”? It has no label yet.
    [one] Remove row { $number } “{ $code }” and its label?
   *[other] Remove row { $number } “{ $code }” and its { $count } labels?
}
ch-item-up = Move item { $number } ({ $code }) up
ch-item-down = Move item { $number } ({ $code }) down
ch-item-remove = Remove item { $number } ({ $code })
ch-item-remove-question = { $count ->
    [0] Remove item { $number } “{ $code }”? It has no label yet.
    [one] Remove item { $number } “{ $code }” and its label?
   *[other] Remove item { $number } “{ $code }” and its { $count } labels?
}
ch-max-ranked = At most this many places
ch-max-ranked-hint = Leave empty to rank every item.
ch-max-ranked-invalid = Enter a whole number, or leave it empty.
ch-scale-min = Lowest point
ch-scale-max = Highest point
ch-scale-min-label = Label of the lowest point (optional)
ch-scale-max-label = Label of the highest point (optional)
ch-number-min = Lowest number accepted
ch-number-max = Highest number accepted
ch-unit = Unit (optional)
ch-unit-hint = What the number counts, such as “years”: shown beside the field and its range.
ch-bins-hint = Only the bin a number falls in is counted. The bins must cover the whole range, without gaps or overlaps.
ch-bins = Bins
ch-from = From
ch-to = To (included)
ch-bin-label-hint = A bin’s label is what respondents choose and results show, such as “65+” for 65 to 100. Without one, its range is shown.
ch-add-bin = Add bin
ch-countries = Allowed countries
ch-countries-hint = ISO codes separated by commas, such as DE, GE, AM. Leave empty to offer every country.

## The designer: when a question is asked

cond-first = The first question is always asked.
cond-legend = When to ask
cond-not-earlier = This condition names “{ $id }”, which is not an earlier question.
cond-ask = Ask this question
cond-always = always
cond-after = only after certain answers to { $id }: { $text }
cond-includes = Ask it when the answer to { $id } includes
cond-row = Which row of { $id }
cond-ranked = Ask it when { $id } ranks any of
cond-nothing = That question offers nothing to choose yet.
cond-countries = Ask it when the country is one of
cond-countries-hint = ISO codes separated by commas, such as DE, GE.

## The designer: cross-tabulations

xt-heading = Cross-tabulations
xt-hint = Joint counts of two questions (such as when people left by whether they would return). They are counted as answers arrive, and are the only cross-tabulations that will exist.
xt-by = by
xt-remove = Remove
xt-remove-label = Remove cross-tabulation { $number } ({ $rows } × { $columns })
xt-remove-question = Remove cross-tabulation { $number }, { $rows } × { $columns }? Its counts will not be made.
xt-add = Add a cross-tabulation
xt-rows = Cross-tabulation { $number }: rows
xt-columns = Cross-tabulation { $number }: columns
xt-part = { $id }: { $part }

## The designer: the preview

prev-heading = Preview
prev-hint = Exactly what a respondent sees. Answers are checked as a respondent’s would be, and never sent. The preview shows the definition as it was when this tab opened; press Refresh to see later changes.
prev-language = Language
prev-refresh = Refresh preview
prev-no-language = Add a language to preview the survey.
prev-blocked-scale = Fix the scales first: a scale needs 2 to 11 points, lowest first.
prev-blocked-ids = Fix the question ids first: two questions share one.

## The designer: where a published survey's releases stand

rel-heading = Releases
rel-made = { $count ->
    [one] 1 release made; the last on { $last }.
   *[other] { $count } releases made; the last on { $last }.
}
rel-made-none = No release made yet.
rel-new-first-enough = { $count ->
    [one] At least 1 answer so far: enough for the first release.
   *[other] At least { $count } answers so far: enough for the first release.
}
rel-new-first-short = { $count ->
    [one] Fewer than 1 answer so far: not enough for the first release yet.
   *[other] Fewer than { $count } answers so far: not enough for the first release yet.
}
rel-new-enough = { $count ->
    [one] At least 1 new answer since the last release: enough for another.
   *[other] At least { $count } new answers since the last release: enough for another.
}
rel-new-short = { $count ->
    [one] Fewer than 1 new answer since the last release: not enough for another yet.
   *[other] Fewer than { $count } new answers since the last release: not enough for another yet.
}
rel-budget-spent = Privacy budget used: { $spent } of { $budget } (ρ). It is spent: no more releases can be made.
rel-budget-closing = Privacy budget used: { $spent } of { $budget } (ρ). It has room for 1 more release: the one made when the survey closes.
rel-budget-left = { $count ->
    [one] Privacy budget used: { $spent } of { $budget } (ρ). It has room for { $count } more release, the one made when the survey closes included.
   *[other] Privacy budget used: { $spent } of { $budget } (ρ). It has room for { $count } more releases, the one made when the survey closes included.
}
rel-budget-none = Noise is off: releases are exact counts, and no privacy budget limits them.
rel-next-kept = Next scheduled release: none; the budget is kept for the release made when the survey closes.
rel-next-at = { $count ->
    [one] Next scheduled release: { $at }, if at least 1 new answer has come by then.
   *[other] Next scheduled release: { $at }, if at least { $count } new answers have come by then.
}
rel-next-due = Next scheduled release: due now; the schedule makes it when it next looks.
rel-next-soon = { $count ->
    [one] Next scheduled release: as soon as at least 1 new answer has come.
   *[other] Next scheduled release: as soon as at least { $count } new answers have come.
}
rel-next-closed = No more releases: the survey is closed.
rel-next-none = No release is scheduled.
rel-releasing = Releasing…
rel-release-now = Release now
rel-release-now-hint = Makes a release at once, under the same rules as the schedule: enough new answers, and budget left.
rel-made-now = Release { $number } made ({ $at }). Researchers see it now.
rel-see-results = See the results

## Results: releases in plain words

res-release = Release { $number } — { $at } (version { $version })
res-release-closing = Release { $number } — { $at } (version { $version }, closing release)
res-discrete-gaussian = discrete Gaussian noise
res-below-k = Counts below { $k } are not shown.
res-made = Release { $number }, made { $at }, counts the answers to version { $version } of the survey.
res-made-closing = Release { $number }, made { $at }, counts the answers to version { $version } of the survey. It is the closing release, made when the survey closed.
res-noise = Each count has random noise added to protect respondents: 95 % of counts are within ±{ $error } of the true count. Counts below { $k } are not shown. Privacy budget used: { $spent } of { $budget }.
res-mechanism = The noise is { $mechanism }, with zero-concentrated differential privacy (zCDP): this release spent ρ = { $rho } of the survey’s privacy budget, and all its releases together spend no more than the budget, however many are compared.
res-exact = These are exact counts, with no noise added: an admin turned noise off for this survey (a choice recorded in the audit log). They are protected only by suppression: counts below { $k } are not shown.
res-about = About these numbers

## Results: the dashboard, charts and tables

res-suppressed = suppressed
res-table = Table of these counts
res-answer = Answer
res-code = Code
res-count = Count
res-likely = True count likely within (95 %)
res-legend-suppressed = Suppressed
res-legend-suppressed-exact = the count is withheld. Counts from 1 to { $below } (fewer than k = { $k }) are never shown, so that no one can be singled out; where hiding one would still let it be worked out by subtraction, another count is withheld with it. A suppressed count is not zero (zero is shown as 0), and its bar has a fixed length because its value is not known.
res-legend-suppressed-noise = the count, noise added, came out from 1 to { $below } (fewer than k = { $k }); figures that small are not shown. A suppressed count is not zero, and its bar has a fixed length because its value is not given. A count shown as 0 came out at zero or below with its noise: the true count may still be up to about { $error }.
res-legend-error-bar = Error bar
res-crosstab-region = { $rows } by { $columns }
res-crosstab-caption = { $rows } (rows) by { $columns } (columns)
res-crosstab-noise = Every count carries noise: 95 % are within ±{ $error } of the true count.
res-list-heading = Results
res-list-none = No survey has been published yet.
res-list-region = Published surveys
res-list-survey = Survey
res-list-status = Status
res-list-versions = Versions
res-list-current = (current: { $version })
status-draft = draft
status-open = open
status-scheduled = scheduled
status-closed = closed
res-no-such-survey = There is no published survey called “{ $slug }”.
res-heading = Results: { $title }
res-back = ← All published surveys
res-status = Status:
res-release-label = Release
res-chart = Bar chart of the answers to “{ $prompt }”; the table below lists the same counts.
res-respondents = Respondents:
res-withheld = withheld (see below)
res-codes-only = Answers are shown by their codes: the words of this version could not be loaded.
res-answered = Answered by { $figure }
res-answered-withheld = Answered by: withheld (see below)
res-place = Place { $place }
res-mean-rank = Mean place { $mean } (95 %: { $interval }), among the { $count } who ranked it
res-ranked = Ranked by { $figure }
res-no-answers = No answers counted.
res-decimal-mark = .
res-share = Share (95 % interval)
res-table-region = Table of the answers to “{ $prompt }”
res-chart-shares = Bar chart of the answers to “{ $prompt }”, each as a share of those who answered the question. The error bar on each bar is the share’s 95 % interval. The table below lists the same figures.
res-chart-noise = Bar chart of the answers to “{ $prompt }”, as counts, since their shares cannot be given. Each count has random noise added: 95 % are within ±{ $error } of the true count. The table below lists the same counts and ranges.
res-no-shares = No shares are given for this question: how many answered it is withheld. The bars are counts.
res-legend-bar = Bar
res-legend-share = an answer’s share of those who answered the question; beside it, “42 % (35–49 %)” is the share and its 95 % interval. Where several answers could be chosen, the shares add up to more than 100 %.
res-legend-interval-exact = the line across a bar is the share’s 95 % interval (a Wilson score interval). Were the respondents a random sample of a population, its share would lie in this range with 95 % confidence. It allows for chance, not for who chose to answer: weighting, below, can correct for that.
res-legend-interval-noise = the line across a bar is the share’s 95 % interval: a Wilson score interval, widened for the random noise added to every count (±{ $error } for 95 % of counts). Were the respondents a random sample of a population, its share would lie in this range with 95 % confidence. It allows for chance and for the noise, not for who chose to answer: weighting, below, can correct for that.
res-mean = Mean { $mean } (95 %: { $interval }), SD { $sd }, from { $count } who gave a number
res-mean-withheld = No mean: fewer than { $k } gave a number, too few for one to be published.
res-mean-withheld-noise = No mean: how many gave a number, noise added, came out below { $k }, too few for one to be published.
res-download = Download release { $number }
res-download-lang = Labels in
res-download-link = { $format }, release { $number }
res-download-weighted = The data files carry the weights applied, by “{ $question }”: { $shares }. The codebook carries none.
res-format-json = JSON
res-format-csv = CSV (R, pandas, Stata)
res-format-csv-excel = CSV for Excel
res-format-crosstabs-csv = Cross-tabulations (CSV)
res-format-dta = Stata (.dta)
res-format-sav = SPSS (.sav)
res-format-xlsx = Excel workbook (.xlsx)
res-format-datapackage = Data package (.zip)
res-format-ddi = DDI codebook (XML)

## Results: weighting to a target population (post-stratification)

wt-heading = Weight by
wt-why = Only a question that labels the rows of a declared cross-tabulation can be weighted by. Nansen keeps no answers per respondent, only the tables declared before answers arrived, so weights can only reach a question through a declared cross-tabulation.
wt-none = This survey declared no cross-tabulation, so nothing in it can be weighted.
wt-by = Question to weight by
wt-targets = Target population shares for “{ $question }” (%)
wt-targets-hint = Enter each answer’s share of the population the survey should stand for (from a census, say). They must add up to 100; an answer left empty gets no weight. The shares of the questions tabulated against this one are then worked out as if the respondents were spread over its answers in these proportions (post-stratification).
wt-overlap = Respondents could give several answers to this question, so its groups overlap: someone in two of them counts in both. Post-stratification assumes groups that do not overlap; read shares weighted by this question with that in mind.
wt-sample = in this release: { $share }
wt-sample-withheld = in this release: withheld
wt-total-ok = Total: 100 %.
wt-total-short = Total: { $total } %, { $off } points short of 100.
wt-total-over = Total: { $total } %, { $off } points over 100.
wt-empty = Enter the target population’s share of at least one answer.
wt-bad-number = “{ $text }”, given for “{ $answer }”, is not a percentage: enter a number from 0 to 100.
wt-out-of-range = The share for “{ $answer }” must be from 0 to 100 %.
wt-must-add-up = The shares add up to { $total } %, { $off } points off: they must add up to 100.
wt-failed = These weights were not applied. { $detail }
wt-not-applied = The server gave no weighted shares.
wt-apply = Apply weights
wt-applying = Applying…
wt-clear = Remove weights
wt-applied = Weights applied, by “{ $question }”: { $shares }.
wt-applied-where = Post-stratified shares are shown beside the unweighted ones for:
wt-applied-downloads = The data files to download, above, carry these weights.
wt-caption = Weighted by “{ $question }” ({ $shares }): post-stratified shares beside the unweighted ones
wt-unweighted = Unweighted share (95 % interval)
wt-weighted = Weighted share (95 % interval)
wt-not-estimable = cannot be estimated
wt-not-estimable-hint = “Cannot be estimated”: a count it needs is withheld, or a group given weight has nobody in this release.

## Staff screens: accounts, API tokens and the audit log

app-nav-staff = Staff
team-nav = Staff screens
team-accounts = Accounts
team-tokens = API tokens
team-audit = Audit log
team-created = Created
team-account = Account
team-actions = Actions
team-never = never
team-copy = Copy
team-copied = Copied to the clipboard.
team-copy-failed = The browser did not allow copying: the text is selected, copy it by hand.
team-hide = I have copied it: hide it
accounts-heading = Staff accounts
accounts-intro = Admins design surveys and manage staff; researchers read results. A new account gets a generated password, shown once, for you to pass on to its owner.
accounts-name = Username
accounts-role = Role
team-role-admin = Admin
team-role-researcher = Researcher
accounts-role-admin = Admin: designs surveys, manages staff
accounts-role-researcher = Researcher: reads results
accounts-last-login = Last login
accounts-you = you
accounts-own = Your own account: another admin can reset or remove it.
accounts-reset = Reset password
accounts-reset-label = Reset the password of { $name }
accounts-reset-question = Reset the password of { $name }? The current one stops working and their sessions end.
accounts-reset-confirm = Yes, reset
accounts-reset-done = { $name } has a new password; their sessions have ended.
accounts-remove = Remove
accounts-remove-label = Remove { $name }
accounts-remove-question = Remove { $name } with their sessions and API tokens?
accounts-remove-confirm = Yes, remove
accounts-removed = { $name } was removed, with their sessions and API tokens.
accounts-added = The account { $name } was added.
accounts-password-title-created = Password of the new account { $name }
accounts-password-title-reset = New password of { $name }
accounts-password-label = Password
accounts-password-hint = Give it to { $name } over a safe channel. You will not see it again: the server keeps only a hash of it.
accounts-add-heading = Add an account
accounts-username-hint = Lowercase Latin letters, digits, “.”, “_” and “-”, up to 64 characters.
accounts-add-hint = The server makes the password and shows it once.
accounts-add = Add account
accounts-adding = Adding…
tokens-heading = API tokens
tokens-intro = Researchers' scripts read results with a read-only token, sent as “Authorization: Bearer …”. Revoke a token that is lost or no longer used.
tokens-none = There are no API tokens.
tokens-label = Label
tokens-label-hint = What it is for, such as “R scripts on the lab laptop”; up to 80 characters.
tokens-unlabelled = (no label)
tokens-last-used = Last used (hour)
tokens-revoke = Revoke
tokens-revoke-label = Revoke token #{ $id } of { $name }
tokens-revoke-question = Revoke token #{ $id } of { $name }? Scripts using it stop working at once.
tokens-revoke-confirm = Yes, revoke
tokens-revoked = Token #{ $id } was revoked.
tokens-created = Token #{ $id } for { $name } was created.
tokens-create-heading = Create a token
tokens-create = Create token
tokens-creating = Creating…
tokens-secret-title = New API token #{ $id } for { $name }
tokens-secret-label = Token
tokens-secret-hint = Copy it now and keep it like a password. You will not see it again: the server keeps only a hash of it.
audit-heading = Audit log
audit-intro = What staff did, newest first. Nothing about respondents is ever recorded here.
audit-filter = Filter the log
audit-actor = Who
audit-actor-hint = A username, exactly, or “(command line)”.
audit-action = Action
audit-any-action = Any action
audit-show = Show
audit-clear = Show everything
audit-time = Time
audit-target = What
audit-none = No entries.
audit-page = Page { $number }
audit-pages = Pages of the log
audit-newer = Newer entries
audit-older = Older entries
audit-action-login = Logged in
audit-action-login-failed = Failed login
audit-action-logout = Logged out
audit-action-user-create = Account added
audit-action-user-password-reset = Password reset
audit-action-user-password = Password changed
audit-action-user-delete = Account removed
audit-action-token-create = API token created
audit-action-token-revoke = API token revoked
audit-action-survey-create = Survey created
audit-action-survey-edit = Draft saved
audit-action-survey-publish = Survey published
audit-action-survey-close = Survey closed
audit-action-release = Results released
audit-action-invites-create = Invite codes made
audit-action-invites-retired = Invite codes retired
audit-action-results-export = Results downloaded

## Dates (releases are made and kept in UTC)

date-utc = { $day } { $month } { $year }, { $time } UTC
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

## Survey languages, by code (others are shown by their tag)

lang-en = English
lang-ru = Russian
lang-uk = Ukrainian
lang-be = Belarusian
lang-kk = Kazakh
lang-ka = Georgian
lang-hy = Armenian
lang-az = Azerbaijani
lang-uz = Uzbek
lang-ky = Kyrgyz
lang-tg = Tajik
lang-tk = Turkmen
lang-ro = Romanian
lang-lt = Lithuanian
lang-lv = Latvian
lang-et = Estonian
lang-pl = Polish
lang-de = German
lang-fr = French
lang-es = Spanish
lang-he = Hebrew
lang-tr = Turkish
lang-sr = Serbian
lang-fi = Finnish
lang-pt = Portuguese
lang-it = Italian

## Designer: when the survey opens and closes
sched-heading = Opening and closing
sched-now-draft = Not published yet. Publishing opens it at once, or at the opening time below.
sched-now-scheduled = Scheduled: it opens { $opens } and stays open until closed by hand.
sched-now-scheduled-until = Scheduled: it opens { $opens } and closes { $closes }, when its last release is made.
sched-now-open = Open, until closed by hand.
sched-now-open-until = Open until { $closes }: the server closes it then and makes its last release.
sched-now-closed = Closed. Publishing it again reopens it, at once or at the opening time below.
sched-opens = Opens at (UTC)
sched-closes = Closes at (UTC)
sched-opens-open = It is open already.
sched-your-time = Your time: { $time }
sched-hint-publish = Publishing uses these times. Leave them empty to open the survey at once and close it by hand.
sched-hint-published = Save the times to change them without publishing a new version; publishing uses them too. Leave the closing time empty to close by hand.
sched-save = Save times
sched-saved = The times are saved.
sched-fix-first = The opening and closing times need changes first: see the fields marked.
sched-error-invalid = Give a date and a time, or leave this empty.
sched-error-past = This time has passed: give a later one, or leave this empty.
sched-error-order = The closing time must come after the opening time.
sched-error-open = The survey is open already: it takes no opening time.
