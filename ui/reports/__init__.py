"""The Reports tab's parts: the background build (`job`), page images (`render`), the
preview (`preview`), printing (`printing`) and the incident picker (`picker`)."""
