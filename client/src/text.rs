//! Interface strings in the respondent's language (the survey's own texts come from
//! its definition).

use nansen_shared::validate::{AnswerProblem, Expected};

/// The fixed strings of the questionnaire screen.
#[derive(Debug)]
pub struct Texts {
    pub closed: &'static str,
    pub check: &'static str,
    pub loading: &'static str,
    pub submit: &'static str,
    pub sending: &'static str,
    pub required: &'static str,
    pub choose: &'static str,
    pub counted: &'static str,
    pub not_sent: &'static str,
    pub fix_errors: &'static str,
    pub load_failed: &'static str,
}

const EN: Texts = Texts {
    closed: "This survey has closed and takes no more answers. Thank you for your interest.",
    check: "Check this answer.",
    loading: "Loading the questionnaire…",
    submit: "Send answers",
    sending: "Sending…",
    required: "required",
    choose: "Choose…",
    counted: "Your answers were counted. Thank you! Nothing about you was stored; you can close this page.",
    not_sent: "Your answers could not be sent (no connection?). They were not counted yet. Try again: they will be counted only once.",
    fix_errors: "Some answers need attention; see the messages below.",
    load_failed: "The questionnaire could not be loaded. Check the connection and reload the page.",
};

const RU: Texts = Texts {
    closed: "Этот опрос закрыт и больше не принимает ответы. Спасибо за интерес.",
    check: "Проверьте этот ответ.",
    loading: "Загружаем анкету…",
    submit: "Отправить ответы",
    sending: "Отправляем…",
    required: "обязательно",
    choose: "Выберите…",
    counted: "Ваши ответы учтены. Спасибо! О вас ничего не сохранено; эту страницу можно закрыть.",
    not_sent: "Не удалось отправить ответы (нет связи?). Они ещё не учтены. Попробуйте снова: они будут учтены только один раз.",
    fix_errors: "Некоторые ответы нужно поправить — см. сообщения ниже.",
    load_failed: "Не удалось загрузить анкету. Проверьте соединение и обновите страницу.",
};

const UK: Texts = Texts {
    closed: "Це опитування закрите й більше не приймає відповіді. Дякуємо за інтерес.",
    check: "Перевірте цю відповідь.",
    loading: "Завантажуємо анкету…",
    submit: "Надіслати відповіді",
    sending: "Надсилаємо…",
    required: "обов’язково",
    choose: "Оберіть…",
    counted: "Ваші відповіді враховано. Дякуємо! Про вас нічого не збережено; цю сторінку можна закрити.",
    not_sent: "Не вдалося надіслати відповіді (немає зв’язку?). Їх ще не враховано. Спробуйте знову: їх буде враховано лише один раз.",
    fix_errors: "Деякі відповіді треба виправити — див. повідомлення нижче.",
    load_failed: "Не вдалося завантажити анкету. Перевірте з’єднання й оновіть сторінку.",
};

const BE: Texts = Texts {
    closed: "Гэтае апытанне закрытае і больш не прымае адказы. Дзякуй за цікавасць.",
    check: "Праверце гэты адказ.",
    loading: "Загружаем анкету…",
    submit: "Адправіць адказы",
    sending: "Адпраўляем…",
    required: "абавязкова",
    choose: "Выберыце…",
    counted: "Вашы адказы ўлічаны. Дзякуй! Пра вас нічога не захавана; гэтую старонку можна зачыніць.",
    not_sent: "Не ўдалося адправіць адказы (няма сувязі?). Яны яшчэ не ўлічаны. Паспрабуйце зноў: яны будуць улічаны толькі адзін раз.",
    fix_errors: "Некаторыя адказы трэба выправіць — гл. паведамленні ніжэй.",
    load_failed: "Не ўдалося загрузіць анкету. Праверце злучэнне і абнавіце старонку.",
};

pub fn texts(lang: &str) -> &'static Texts {
    match lang.split('-').next().unwrap_or(lang) {
        "ru" => &RU,
        "uk" => &UK,
        "be" => &BE,
        _ => &EN,
    }
}

/// What to say about an answer the server refused without a reason this client knows.
pub fn checks(lang: &str) -> &'static str {
    texts(lang).check
}

/// What to tell the person about a problem with one answer.
pub fn problem(lang: &str, problem: &AnswerProblem) -> String {
    let lang = lang.split('-').next().unwrap_or(lang);
    match (lang, problem) {
        ("ru", AnswerProblem::Required) => "Ответьте, пожалуйста, на этот вопрос.".into(),
        ("ru", AnswerProblem::TooManyChoices { max }) => format!("Выберите не больше {max}."),
        ("ru", AnswerProblem::ExclusiveCombined { .. }) => "Этот вариант нельзя сочетать с другими.".into(),
        ("ru", AnswerProblem::OutOfRange { min, max }) => format!("Введите целое число от {min} до {max}."),
        ("ru", AnswerProblem::WrongType { expected: Expected::WholeNumber }) => "Введите целое число.".into(),
        ("ru", _) => RU.check.into(),
        ("uk", AnswerProblem::Required) => "Будь ласка, дайте відповідь на це запитання.".into(),
        ("uk", AnswerProblem::TooManyChoices { max }) => format!("Оберіть не більше {max}."),
        ("uk", AnswerProblem::ExclusiveCombined { .. }) => "Цей варіант не можна поєднувати з іншими.".into(),
        ("uk", AnswerProblem::OutOfRange { min, max }) => format!("Введіть ціле число від {min} до {max}."),
        ("uk", AnswerProblem::WrongType { expected: Expected::WholeNumber }) => "Введіть ціле число.".into(),
        ("uk", _) => UK.check.into(),
        ("be", AnswerProblem::Required) => "Калі ласка, адкажыце на гэтае пытанне.".into(),
        ("be", AnswerProblem::TooManyChoices { max }) => format!("Выберыце не больш за {max}."),
        ("be", AnswerProblem::ExclusiveCombined { .. }) => "Гэты варыянт нельга спалучаць з іншымі.".into(),
        ("be", AnswerProblem::OutOfRange { min, max }) => format!("Увядзіце цэлы лік ад {min} да {max}."),
        ("be", AnswerProblem::WrongType { expected: Expected::WholeNumber }) => "Увядзіце цэлы лік.".into(),
        ("be", _) => BE.check.into(),
        _ => problem.to_string(),
    }
}
