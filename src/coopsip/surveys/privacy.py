"""A person's survey answers: named ones are exported; erasing the account makes them anonymous."""

from __future__ import annotations

from typing import Any

from coopsip.core import privacy
from coopsip.surveys.models import Response


def _export(user: Any) -> dict[str, Any]:
    return {
        "survey_responses": [
            {
                "survey": str(response.survey),
                "sent_at": response.submitted_at.isoformat() if response.submitted_at else None,
                "answers": {
                    answer.question.text: answer.text or answer.value
                    for answer in response.answers.select_related("question")
                },
            }
            for response in Response.objects.filter(respondent=user).select_related("survey")
        ]
    }


def _erase(user: Any) -> None:
    # The answers stay in the survey's totals, as an anonymous survey's do.
    Response.objects.filter(respondent=user).update(respondent=None)


privacy.register("surveys", export=_export, erase=_erase, models=("surveys.Response",), kept_models=("surveys.Survey",))
