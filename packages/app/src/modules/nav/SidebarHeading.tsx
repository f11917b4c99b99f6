import { useSidebarOpenState } from '@backstage/core-components';
import { makeStyles, Typography } from '@material-ui/core';

const useStyles = makeStyles(theme => ({
  root: {
    padding: theme.spacing(1, 3, 0.5),
    color: theme.palette.navigation.color,
    opacity: 0.7,
  },
}));

/** A section title in the sidebar, shown while the sidebar is expanded. */
export const SidebarHeading = ({ title }: { title: string }) => {
  const classes = useStyles();
  const { isOpen } = useSidebarOpenState();
  return isOpen ? (
    <Typography variant="overline" component="div" className={classes.root}>
      {title}
    </Typography>
  ) : null;
};
