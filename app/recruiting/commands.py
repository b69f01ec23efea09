"""`flask matching ...` commands."""
import os

import click
from flask import current_app
from flask.cli import AppGroup

matching_cli = AppGroup("matching", help="Matching tools.")


@matching_cli.command("fit-weights")
@click.option("--out", default=None, help="Where to write the fitted weights (JSON); "
              "default: match_weights_fitted.json in the instance folder.")
@click.option("--min-rows", default=50, show_default=True, help="Refuse to fit on fewer answered invitations.")
@click.option("--seed", default=0, show_default=True, help="Seed of the train/test split.")
def fit_weights_command(out, min_rows, seed):
    """Fit component weights to invitation outcomes and write them for review (changes no weight)."""
    from app.recruiting.outcomes import fit_and_write

    path = out or os.path.join(current_app.instance_path, "match_weights_fitted.json")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    try:
        fit = fit_and_write(path, current_app.config["MATCH_WEIGHTS"], min_rows=min_rows, seed=seed)
    except ValueError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"Held-out AUC: fitted {fit.auc_fitted:.3f}, hand-set {fit.auc_hand_set:.3f} "
               f"({fit.n_test} test rows of {fit.n_train + fit.n_test})")
    click.echo("Fitted weights: " + ", ".join(f"{k} {v:.3f}" for k, v in fit.weights.items()))
    click.echo(f"Written to {path} for review; MATCH_WEIGHTS is unchanged.")
