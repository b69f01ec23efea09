"""Downloads of an organisation's whole record (campaign owners, partner members), streamed."""
from flask import Blueprint, Response, abort, current_app
from flask_login import current_user

from app import audit
from app.extensions import db
from app.orgs import exports
from app.orgs.scope import Org
from app.permissions import campaign_owner_or_403, partner_or_404, roles_required

bp = Blueprint("exports", __name__)


def _download(org, name, fmt):
    if fmt not in ("json", "csv"):
        abort(404)
    user = current_user._get_current_object()
    audit.record(user, "export.downloaded", user, organisation=f"{org.kind}:{org.id}", format=fmt)
    db.session.commit()
    app = current_app._get_current_object()

    # The response streams after the view returned: the generator opens a short app context per batch.
    body = exports.as_json(app, org, name) if fmt == "json" else exports.as_csv(app, org)
    mimetype = "application/json" if fmt == "json" else "text/csv"
    filename = f"barnstorm-{org.kind}-{org.id}.{fmt}"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


@bp.route("/campaigns/<int:campaign_id>.<fmt>")
@roles_required("campaign")
def campaign_export(campaign_id, fmt):
    campaign = campaign_owner_or_403(campaign_id, current_user)
    return _download(Org("campaign", campaign.id), campaign.name, fmt)


@bp.route("/partners/<int:partner_id>.<fmt>")
@roles_required("campaign", "staff")
def partner_export(partner_id, fmt):
    partner = partner_or_404(partner_id, current_user)
    return _download(Org("partner", partner.id), partner.name, fmt)
